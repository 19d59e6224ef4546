'use strict';
// The model table: for each model id, what it makes (video or image), which input fields carry its media and
// how many items they may hold, and the allowed values of ratio, resolution, duration, mode and n.
// The node's own list is nodes/shared/models/catalogue.ts; catalogue.test.ts keeps the two in step.

const MEDIA_FIELDS = ['mediaUrls', 'imageUrls', 'images'];
// A media URL's kind, judged by the extension of its path.
const MEDIA_KINDS = {
	image: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp'],
	video: ['mp4', 'mov', 'm4v'],
	audio: ['mp3', 'wav'],
};

// Each rule keeps its values (or range) as data as well, so the catalogue test can compare them.
const oneOf = (...values) => ({
	values,
	test: (v) => values.includes(v),
	text: `one of ${values.join(', ')}`,
});
const intRange = (min, max) => ({
	min,
	max,
	test: (v) => Number.isInteger(v) && v >= min && v <= max,
	text: `an integer from ${min} to ${max}`,
});
// media: the fields whose arrays are checked; items: [min, max] count of each such array when present;
// maxImages: most image URLs in one array; imagesOnly: video and audio URLs refused.
const video = (media, limits = {}, extra = {}) => ({ output: 'video', media, limits, ...extra });
const image = (media, limits = {}, extra = {}) => ({ output: 'image', media, limits, ...extra });
const sameFor = (ids, spec) => Object.fromEntries(ids.map((id) => [id, spec]));

const RES_K = oneOf('1k', '2k', '4k');
const seedanceLimits = {
	ratio: oneOf('1:1', '4:3', '3:4', '16:9', '9:16'),
	resolution: oneOf('480p', '720p', '1080p'),
};
const veoLimits = { ratio: oneOf('16:9', '9:16'), duration: oneOf(4, 6, 8) };
const nanoLimits = { ratio: oneOf('16:9', '9:16', '1:1', '4:3', '3:4'), resolution: RES_K };
const seedreamLimits = {
	ratio: oneOf('1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'),
	resolution: RES_K,
};
const grokImageLimits = {
	n: intRange(1, 10),
	ratio: oneOf('1:1', '16:9', '9:16'),
	resolution: oneOf('720p', '1080p'),
};

const MODELS = {
	...sameFor(
		['seedance-2.0', 'seedance-2.0-fast'],
		video(
			['mediaUrls', 'imageUrls'],
			{ ...seedanceLimits, duration: intRange(4, 15) },
			{ items: [1, 12], maxImages: 9 },
		),
	),
	'seedance-1.5-pro': video(
		['mediaUrls', 'imageUrls'],
		{ ...seedanceLimits, duration: oneOf(5, 10) },
		{ items: [1, 2], imagesOnly: true },
	),
	...sameFor(
		['veo3', 'veo3_fast'],
		video(
			['imageUrls'],
			{ ...veoLimits, resolution: oneOf('1080p', '4k'), mode: oneOf('i2v', 'i2v-fl', 'r2v') },
			{ items: [0, 3] },
		),
	),
	veo3_lite: video(
		['imageUrls'],
		{ ...veoLimits, mode: oneOf('i2v', 'i2v-fl') },
		{ items: [0, 3] },
	),
	'nano-banana': image(['imageUrls'], { ratio: oneOf('16:9', '9:16') }),
	...sameFor(['nano-banana-2', 'nano-banana-pro'], image(['imageUrls'], nanoLimits)),
	'seedream-5-lite': image(['imageUrls'], { ...seedreamLimits, n: intRange(1, 4) }),
	...sameFor(
		['seedream-4.5', 'seedream-4', 'seedream-4.6'],
		image(['imageUrls'], { ...seedreamLimits, n: intRange(1, 15) }),
	),
	...sameFor(
		['gpt-image-2/text-to-image', 'gpt-image-2/image-to-image'],
		image(['imageUrls'], {
			ratio: oneOf(
				'1:1',
				'3:2',
				'2:3',
				'4:3',
				'3:4',
				'5:4',
				'4:5',
				'16:9',
				'9:16',
				'2:1',
				'1:2',
				'21:9',
				'9:21',
			),
			resolution: RES_K,
			n: intRange(1, 10),
		}),
	),
	'grok-imagine/text-to-image-lite': image([], { n: intRange(1, 4) }),
	...sameFor(
		['grok-imagine/text-to-image-standard', 'grok-imagine/text-to-image-pro'],
		image([], grokImageLimits),
	),
	'grok-imagine/image-to-image': image(['imageUrls'], {}, { items: [0, 2] }),
	'grok-imagine/text-to-video': video([], {
		duration: oneOf(6, 10, 12, 16, 20),
		ratio: oneOf('1:1', '16:9', '9:16'),
		resolution: oneOf('480p', '720p'),
		mode: oneOf('fun', 'normal', 'spicy', 'custom'),
	}),
	...sameFor(
		[
			'jimeng-video-3.5-pro',
			'jimeng-video-3.0-pro',
			'jimeng-video-3.0',
			'jimeng-video-2.0-pro',
			'jimeng-video-2.0',
			'seedance-2.0-pro',
		],
		video(['imageUrls']),
	),
	...sameFor(
		[
			'jimeng-5.0-preview',
			'jimeng-4.6',
			'jimeng-4.5',
			'jimeng-4.1',
			'jimeng-4.0',
			'jimeng-3.1',
			'jimeng-3.0',
			'jimeng-2.1',
			'jimeng-2.0-pro',
			'jimeng-2.0',
			'jimeng-1.4',
			'jimeng-xl-pro',
		],
		image(['images']),
	),
};

/** 'image', 'video', 'audio' or null (unknown extension). */
function mediaKind(url) {
	const pathname = URL.canParse(url) ? new URL(url).pathname : url; // a non-URL is judged by its raw text
	const ext = /\.([a-z0-9]+)$/i.exec(pathname)?.[1].toLowerCase();
	return Object.keys(MEDIA_KINDS).find((kind) => MEDIA_KINDS[kind].includes(ext)) ?? null;
}

// The hosts real MaxAPI cannot call back (used with rejectLocalCallbacks).
function isLocalHost(hostname) {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		hostname === '0.0.0.0' ||
		/^127\./.test(hostname)
	);
}

module.exports = { MODELS, MEDIA_FIELDS, MEDIA_KINDS, mediaKind, isLocalHost };
