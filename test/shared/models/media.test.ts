/** The media rules (media.ts): the media field's label, each URL's kind, video output and the generation mode. */
import { findFamily } from '../../../nodes/shared/models/catalogue';
import {
	IMAGE_EXTENSIONS,
	generationMode,
	isVideoOutput,
	mediaFieldLabel,
	mediaKindOf,
} from '../../../nodes/shared/models/media';
import type { Family, FamilyId, MediaPlan } from '../../../nodes/shared/models/types';

const family = (id: FamilyId): Family => findFamily(id)!;

/** A plan for a model of the catalogue, or (model undefined) for an ID the catalogue lacks. */
function plan(
	familyId: FamilyId,
	modelId: string,
	media: string[] = [],
	input: Record<string, unknown> = {},
): MediaPlan {
	const of = family(familyId);
	return {
		family: of,
		model: of.models.find((model) => model.id === modelId),
		modelId,
		input,
		media,
	};
}

const images = (count: number) =>
	Array.from({ length: count }, (_, i) => `https://cdn.example.com/${i}.png`);

describe('mediaFieldLabel', () => {
	test.each([
		['seedance', 'Media URLs'],
		['veo', 'Image URLs'],
		['nanoBanana', 'Image URLs'],
		['jimengImage', 'Image URLs'],
	] as const)('%s: %s', (familyId, label) => {
		expect(mediaFieldLabel(family(familyId))).toBe(label);
	});
});

describe('mediaKindOf', () => {
	test.each([
		['https://cdn.example.com/a.PNG?sig=1', 'image'],
		['https://cdn.example.com/clip.mov', 'video'],
		['https://cdn.example.com/voice.wav', 'audio'],
		['https://cdn.example.com/render', undefined],
	])('media kind of %s is %s', (url, kind) => {
		expect(mediaKindOf(url)).toBe(kind);
	});

	test.each([
		['jpg', 'image'],
		['jpeg', 'image'],
		['png', 'image'],
		['webp', 'image'],
		['gif', 'image'],
		['bmp', 'image'],
		['mp4', 'video'],
		['mov', 'video'],
		['m4v', 'video'],
		['mp3', 'audio'],
		['wav', 'audio'],
	])('a .%s URL is %s', (extension, kind) => {
		expect(mediaKindOf(`https://cdn.example.com/media/file.${extension}`)).toBe(kind);
	});

	test('the extension is read whatever its case', () => {
		expect(mediaKindOf('https://cdn.example.com/A.JPG')).toBe('image');
		expect(mediaKindOf('https://cdn.example.com/Clip.Mp4')).toBe('video');
		expect(mediaKindOf('https://cdn.example.com/VOICE.MP3')).toBe('audio');
	});

	test('the query string and fragment do not count: only the path does', () => {
		expect(mediaKindOf('https://cdn.example.com/clip.mp4?format=png')).toBe('video');
		expect(mediaKindOf('https://cdn.example.com/a.png#t=clip.mp4')).toBe('image');
		expect(mediaKindOf('https://cdn.example.com/render?file=a.png')).toBeUndefined();
	});

	test('only the last extension counts', () => {
		expect(mediaKindOf('https://cdn.example.com/poster.png.mp4')).toBe('video');
		expect(mediaKindOf('https://cdn.example.com/clip.mp4.txt')).toBeUndefined();
	});

	test('a dot in the host or a folder is not an extension', () => {
		expect(mediaKindOf('https://images.png.example.com/render')).toBeUndefined();
		expect(mediaKindOf('https://cdn.example.com/v1.mp4/render')).toBeUndefined();
	});

	test.each([
		'https://cdn.example.com/report.pdf',
		'https://cdn.example.com/anim.svg',
		'https://cdn.example.com/',
		'https://cdn.example.com/file.',
		'',
	])('an unknown or missing extension has no kind: %j', (url) => {
		expect(mediaKindOf(url)).toBeUndefined();
	});

	test('text that is not a URL is judged by its own extension', () => {
		expect(mediaKindOf('clip.MP4')).toBe('video');
		expect(mediaKindOf('folder/photo.jpeg')).toBe('image');
		expect(mediaKindOf('not a url')).toBeUndefined();
	});

	test('IMAGE_EXTENSIONS are exactly the extensions read as images', () => {
		expect(IMAGE_EXTENSIONS).toEqual(['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp']);
		for (const extension of IMAGE_EXTENSIONS) expect(mediaKindOf(`a.${extension}`)).toBe('image');
	});
});

describe('isVideoOutput', () => {
	test("a catalogue model's own output decides", () => {
		expect(isVideoOutput(plan('seedance', 'seedance-2.0'))).toBe(true);
		expect(isVideoOutput(plan('nanoBanana', 'nano-banana'))).toBe(false);
		expect(isVideoOutput(plan('grokImagine', 'grok-imagine/text-to-video'))).toBe(true);
		expect(isVideoOutput(plan('grokImagine', 'grok-imagine/text-to-image-pro'))).toBe(false);
	});

	test("the model's output wins over a model ID that says otherwise", () => {
		const imageModel = family('grokImagine').models.find((model) => model.output === 'image')!;
		expect(isVideoOutput({ ...plan('grokImagine', 'my-video'), model: imageModel })).toBe(false);
		const videoModel = family('grokImagine').models.find((model) => model.output === 'video')!;
		expect(isVideoOutput({ ...plan('grokImagine', 'my-image'), model: videoModel })).toBe(true);
	});

	test("an ID the catalogue lacks takes its family's output when the family makes one kind", () => {
		expect(isVideoOutput(plan('seedance', 'seedance-9.0'))).toBe(true);
		expect(isVideoOutput(plan('jimengVideo', 'jimeng-video-9.0'))).toBe(true);
		expect(isVideoOutput(plan('nanoBanana', 'nano-banana-video'))).toBe(false);
		expect(isVideoOutput(plan('seedream', 'seedream-9'))).toBe(false);
	});

	test("an ID the catalogue lacks, in a family making both, is a video when its name says 'video'", () => {
		expect(isVideoOutput(plan('grokImagine', 'grok-imagine/image-to-video'))).toBe(true);
		expect(isVideoOutput(plan('grokImagine', 'grok-imagine/image-to-image-pro'))).toBe(false);
	});
});

describe('generationMode', () => {
	test('Veo modes name the generation mode whatever the image count', () => {
		expect(generationMode(plan('veo', 'veo3', images(1), { mode: 'r2v' }))).toBe('multi-reference');
		expect(generationMode(plan('veo', 'veo3', images(1)))).toBe('first-frame');
	});

	test('an image model makes text-to-image with no media and image-to-image with any', () => {
		expect(generationMode(plan('seedream', 'seedream-4', images(0)))).toBe('text-to-image');
		expect(generationMode(plan('seedream', 'seedream-4', images(1)))).toBe('image-to-image');
		expect(generationMode(plan('seedream', 'seedream-4', images(5)))).toBe('image-to-image');
	});

	test.each([
		[0, 'text-to-video'],
		[1, 'first-frame'],
		[2, 'first-and-last-frame'],
		[3, 'multi-reference'],
		[4, 'multi-reference'],
	])('a video model with %i image(s) and no mode makes %s', (count, mode) => {
		expect(generationMode(plan('seedance', 'seedance-2.0', images(count)))).toBe(mode);
	});

	test('any video or audio among the media makes it multi-reference, even alone', () => {
		expect(
			generationMode(plan('seedance', 'seedance-2.0', ['https://cdn.example.com/clip.mp4'])),
		).toBe('multi-reference');
		expect(
			generationMode(
				plan('seedance', 'seedance-2.0', [
					'https://cdn.example.com/a.png',
					'https://cdn.example.com/voice.mp3',
				]),
			),
		).toBe('multi-reference');
	});

	test('media of unknown kind count as images', () => {
		expect(
			generationMode(plan('seedance', 'seedance-2.0', ['https://cdn.example.com/render'])),
		).toBe('first-frame');
	});

	test.each([
		['i2v', 0, 'first-frame'],
		['i2v', 3, 'first-frame'],
		['i2v-fl', 1, 'first-and-last-frame'],
		['r2v', 2, 'multi-reference'],
	])('Veo mode %s with %i image(s) makes %s', (mode, count, made) => {
		expect(generationMode(plan('veo', 'veo3', images(count), { mode }))).toBe(made);
	});

	test('a mode comes from any model of the family, even one the chosen model lacks', () => {
		// veo3_lite has no r2v, but its family documents what r2v makes.
		expect(generationMode(plan('veo', 'veo3_lite', images(1), { mode: 'r2v' }))).toBe(
			'multi-reference',
		);
	});

	test('a mode with no media rule leaves the choice to the media count', () => {
		expect(generationMode(plan('veo', 'veo3', images(2), { mode: 'unknown' }))).toBe(
			'first-and-last-frame',
		);
		expect(
			generationMode(plan('grokImagine', 'grok-imagine/text-to-video', [], { mode: 'spicy' })),
		).toBe('text-to-video');
	});

	test('an image model ignores the mode', () => {
		expect(generationMode(plan('seedream', 'seedream-4', [], { mode: 'i2v' }))).toBe(
			'text-to-image',
		);
	});
});
