/** The checks against a model's documented limits (limits.ts): media count and kinds, Veo's modes, field values. */
import { ALL_MODELS, FAMILIES } from '../../../nodes/shared/models/catalogue';
import { checkFieldValues, checkMediaLimits } from '../../../nodes/shared/models/limits';
import type { ModelSpec, SubmitPlan } from '../../../nodes/shared/models/types';

const modelOf = (id: string): ModelSpec => ALL_MODELS.find((model) => model.id === id)!;

function plan(modelId: string, media: string[] = [], input: Record<string, unknown> = {}) {
	const family = FAMILIES.find((of) => of.models.some((model) => model.id === modelId))!;
	const submit: SubmitPlan = {
		family,
		model: modelOf(modelId),
		modelId,
		input: { prompt: 'Go', ...input },
		media,
	};
	return submit;
}

const images = (count: number) =>
	Array.from({ length: count }, (_, i) => `https://cdn.example.com/${i}.png`);
const videos = (count: number) =>
	Array.from({ length: count }, (_, i) => `https://cdn.example.com/${i}.mp4`);

const mediaProblems = (modelId: string, media: string[], input: Record<string, unknown> = {}) =>
	checkMediaLimits(plan(modelId, media, input), modelOf(modelId));
const valueProblems = (modelId: string, input: Record<string, unknown>) =>
	checkFieldValues(plan(modelId, [], input), modelOf(modelId));

describe('checkMediaLimits: a text-only model (maxMedia 0)', () => {
	const textOnly = 'grok-imagine/text-to-image-standard';

	test('takes no media without complaint', () => {
		expect(mediaProblems(textOnly, [])).toEqual([]);
	});

	test('refuses a single medium, saying it "was" given', () => {
		expect(mediaProblems(textOnly, images(1))).toEqual([
			{
				field: 'Image URLs',
				message: `${textOnly} takes no reference media, but 1 was given`,
				fix: 'Remove the media, or choose an image-to-image or image-to-video model.',
			},
		]);
	});

	test('refuses several, saying they "were" given', () => {
		expect(mediaProblems(textOnly, images(2))[0].message).toBe(
			`${textOnly} takes no reference media, but 2 were given`,
		);
	});

	test('reports that one problem only, not also the kinds it would refuse', () => {
		expect(mediaProblems(textOnly, videos(3))).toHaveLength(1);
	});
});

describe('checkMediaLimits: most media (maxMedia)', () => {
	test('Veo 3.1 takes 3 media at most: 2 and 3 pass, 4 does not', () => {
		expect(mediaProblems('veo3', images(2))).toEqual([]);
		expect(mediaProblems('veo3', images(3))).toEqual([]);
		expect(mediaProblems('veo3', images(4))).toEqual([
			{
				field: 'Image URLs',
				message: 'veo3 takes at most 3 reference media, but 4 were given',
				fix: 'Keep 3 or fewer URLs, or choose a model that takes more.',
			},
		]);
	});

	test('Seedance 2.0 takes 12 media at most, counted across kinds: 11 and 12 pass, 13 does not', () => {
		expect(mediaProblems('seedance-2.0', [...images(8), ...videos(3)])).toEqual([]);
		expect(mediaProblems('seedance-2.0', [...images(9), ...videos(3)])).toEqual([]);
		const problems = mediaProblems('seedance-2.0', [...images(9), ...videos(4)]);
		expect(problems.map((problem) => problem.message)).toEqual([
			'seedance-2.0 takes at most 12 reference media, but 13 were given',
		]);
		expect(problems[0].field).toBe('Media URLs');
	});

	test('a model whose most is not documented takes any number', () => {
		expect(mediaProblems('nano-banana-pro', images(30))).toEqual([]);
		expect(mediaProblems('jimeng-4.6', images(30))).toEqual([]);
	});
});

describe('checkMediaLimits: fewest media (minMedia)', () => {
	const imageToImage = 'gpt-image-2/image-to-image';

	test('an image-to-image model needs 1 image: 0 is refused, 1 and 2 pass', () => {
		expect(mediaProblems(imageToImage, [])).toEqual([
			{
				field: 'Image URLs',
				message: `${imageToImage} needs at least 1 reference image`,
				fix: 'Add an image URL, or choose the text-to-image model.',
			},
		]);
		expect(mediaProblems(imageToImage, images(1))).toEqual([]);
		expect(mediaProblems(imageToImage, images(2))).toEqual([]);
	});

	test('a minimum above 1 is said in the plural, and holds at its boundary', () => {
		const needsTwo: ModelSpec = { ...modelOf(imageToImage), minMedia: 2 };
		const problemsWith = (count: number) =>
			checkMediaLimits(plan(imageToImage, images(count)), needsTwo);
		expect(problemsWith(1).map((problem) => problem.message)).toEqual([
			`${imageToImage} needs at least 2 reference images`,
		]);
		expect(problemsWith(2)).toEqual([]);
	});

	test('a model with no minimum takes none', () => {
		expect(mediaProblems('seedream-4', [])).toEqual([]);
	});
});

describe('checkMediaLimits: most images (maxImages)', () => {
	test('Seedance 2.0 takes 9 images among its media: 8 and 9 pass, 10 does not', () => {
		expect(mediaProblems('seedance-2.0', images(8))).toEqual([]);
		expect(mediaProblems('seedance-2.0', images(9))).toEqual([]);
		expect(mediaProblems('seedance-2.0', images(10))).toEqual([
			{
				field: 'Media URLs',
				message: 'seedance-2.0 takes at most 9 images, but 10 were given',
				fix: 'Keep 9 or fewer images.',
			},
		]);
	});

	test('videos and audio do not count as images', () => {
		expect(
			mediaProblems('seedance-2.0', [
				...images(9),
				'https://cdn.example.com/a.mov',
				'https://cdn.example.com/b.wav',
			]),
		).toEqual([]);
	});

	test('media of unknown kind count as images', () => {
		const unknownKind = Array.from({ length: 10 }, (_, i) => `https://cdn.example.com/render${i}`);
		expect(mediaProblems('seedance-2.0', unknownKind).map((problem) => problem.message)).toEqual([
			'seedance-2.0 takes at most 9 images, but 10 were given',
		]);
	});

	test('3 images for Seedance 1.5 Pro break both its limits, each reported', () => {
		expect(mediaProblems('seedance-1.5-pro', images(3)).map((problem) => problem.message)).toEqual([
			'seedance-1.5-pro takes at most 2 reference media, but 3 were given',
			'seedance-1.5-pro takes at most 2 images, but 3 were given',
		]);
	});
});

describe('checkMediaLimits: media kinds', () => {
	test('a model taking images only refuses a video, naming the models that take one', () => {
		const clip = 'https://cdn.example.com/clip.mp4';
		expect(mediaProblems('seedance-1.5-pro', [clip])).toEqual([
			{
				field: 'Media URLs',
				message: `seedance-1.5-pro takes image only, but got ${clip}`,
				fix: 'Video and audio references need seedance-2.0 or seedance-2.0-fast.',
			},
		]);
	});

	test('in a family with no video-taking model, the fix lists the image extensions', () => {
		const problems = mediaProblems('veo3', [
			'https://cdn.example.com/a.png',
			'https://cdn.example.com/b.mp3',
			'https://cdn.example.com/c.mov',
		]);
		expect(problems).toEqual([
			{
				field: 'Image URLs',
				message:
					'veo3 takes image only, but got https://cdn.example.com/b.mp3, https://cdn.example.com/c.mov',
				fix: 'Use image URLs (jpg, jpeg, png, webp, gif, bmp).',
			},
		]);
	});

	test('a model taking images, videos and audio takes each', () => {
		expect(
			mediaProblems('seedance-2.0', [
				'https://cdn.example.com/a.jpg',
				'https://cdn.example.com/b.m4v',
				'https://cdn.example.com/c.mp3',
			]),
		).toEqual([]);
	});

	test('a medium of unknown kind passes as an image', () => {
		expect(mediaProblems('veo3', ['https://cdn.example.com/render?id=1'])).toEqual([]);
	});
});

describe("checkMediaLimits: Veo's images per mode", () => {
	const modeProblem = (mode: string, count: number) =>
		mediaProblems('veo3', images(count), { mode }).filter((problem) => problem.field === 'Mode');

	test.each([
		['i2v', 0, false],
		['i2v', 1, true],
		['i2v', 2, false],
		['i2v-fl', 1, false],
		['i2v-fl', 2, true],
		['i2v-fl', 3, false],
		['r2v', 0, false],
		['r2v', 1, true],
		['r2v', 3, true],
		['r2v', 4, false],
	])('mode %s with %i image(s) fits: %s', (mode, count, fits) => {
		expect(modeProblem(mode, count)).toHaveLength(fits ? 0 : 1);
	});

	test('the problem names the mode, its rule and the count', () => {
		expect(modeProblem('i2v', 2)).toEqual([
			{
				field: 'Mode',
				message: 'Mode i2v (first frame: exactly 1 image) does not fit 2 images',
				fix: 'Change the mode or the number of image URLs, or leave the mode on Automatic.',
			},
		]);
		expect(modeProblem('i2v-fl', 1)[0].message).toBe(
			'Mode i2v-fl (first + last frame: exactly 2 images) does not fit 1 image',
		);
	});

	test('no mode, a mode without a rule, or a mode that is not text: no mode check', () => {
		expect(mediaProblems('veo3', images(2))).toEqual([]);
		expect(mediaProblems('veo3', images(2), { mode: 'custom' })).toEqual([]);
		expect(mediaProblems('veo3', images(2), { mode: 1 })).toEqual([]);
	});

	test("a model without mode rules is not checked by its family's", () => {
		expect(mediaProblems('seedance-2.0', images(2), { mode: 'i2v' })).toEqual([]);
	});
});

describe('checkFieldValues: ratio, resolution, duration and mode', () => {
	test('an allowed value passes', () => {
		expect(
			valueProblems('veo3', { ratio: '9:16', resolution: '4k', duration: 8, mode: 'r2v' }),
		).toEqual([]);
	});

	test('a value the model does not support is refused, listing the allowed ones', () => {
		expect(valueProblems('veo3', { ratio: '1:1' })).toEqual([
			{
				field: 'Ratio',
				message: 'veo3 does not support ratio "1:1"',
				fix: 'Use one of: 16:9, 9:16.',
			},
		]);
		expect(valueProblems('veo3', { resolution: '720p' })[0].message).toBe(
			'veo3 does not support resolution "720p"',
		);
		expect(valueProblems('veo3', { duration: 5 })).toEqual([
			{
				field: 'Duration',
				message: 'veo3 does not support duration 5',
				fix: 'Use one of: 4, 6, 8.',
			},
		]);
		expect(valueProblems('veo3_lite', { mode: 'r2v' })[0].message).toBe(
			'veo3_lite does not support mode "r2v"',
		);
	});

	test('numbers and their text compare equal', () => {
		expect(valueProblems('seedance-1.5-pro', { duration: '10' })).toEqual([]);
		expect(valueProblems('seedance-1.5-pro', { duration: 10 })).toEqual([]);
		expect(valueProblems('seedance-1.5-pro', { duration: '6' })).toHaveLength(1);
	});

	test('a field the model does not take is refused when set', () => {
		expect(valueProblems('veo3_lite', { resolution: '1080p' })).toEqual([
			{
				field: 'Resolution',
				message: 'veo3_lite takes no resolution (got "1080p")',
				fix: 'Remove resolution from the input.',
			},
		]);
		expect(valueProblems('seedance-2.0', { mode: 'i2v' })[0].message).toBe(
			'seedance-2.0 takes no mode (got "i2v")',
		);
	});

	test.each([undefined, null, ''])('an unset value (%j) is never checked', (unset) => {
		expect(
			valueProblems('grok-imagine/text-to-image-lite', {
				ratio: unset,
				resolution: unset,
				duration: unset,
				mode: unset,
			}),
		).toEqual([]);
	});

	test('a free-text field takes any value, but the mode is checked even for legacy models', () => {
		expect(valueProblems('jimeng-video-3.0', { ratio: '7:3', duration: 42 })).toEqual([]);
		expect(valueProblems('jimeng-4.6', { ratio: '7:3', resolution: '9k' })).toEqual([]);
		expect(valueProblems('jimeng-4.6', { duration: 5 })[0].message).toBe(
			'jimeng-4.6 takes no duration (got 5)',
		);
		expect(valueProblems('jimeng-video-3.0', { mode: 'fun' })[0].message).toBe(
			'jimeng-video-3.0 takes no mode (got "fun")',
		);
	});

	test('each wrong field is reported, in the order ratio, resolution, duration, mode', () => {
		expect(
			valueProblems('veo3', { ratio: '1:1', resolution: '8k', duration: 5, mode: 'fun' }).map(
				(problem) => problem.field,
			),
		).toEqual(['Ratio', 'Resolution', 'Duration', 'Mode']);
	});
});

describe('checkFieldValues: ratios at 4k', () => {
	const gpt = 'gpt-image-2/text-to-image';

	test('at 4k a ratio outside the narrower list is refused', () => {
		expect(valueProblems(gpt, { resolution: '4k', ratio: '1:1' })).toEqual([
			{
				field: 'Ratio',
				message: `${gpt} at 4k supports only the ratios 16:9, 9:16, 2:1, 1:2, 21:9, 9:21, not 1:1`,
				fix: 'Choose one of those ratios, or a lower resolution.',
			},
		]);
	});

	test('at 4k a ratio of the narrower list passes', () => {
		expect(valueProblems(gpt, { resolution: '4k', ratio: '21:9' })).toEqual([]);
	});

	test('below 4k, or with no ratio, the narrower list does not apply', () => {
		expect(valueProblems(gpt, { resolution: '2k', ratio: '1:1' })).toEqual([]);
		expect(valueProblems(gpt, { resolution: '4k' })).toEqual([]);
		expect(valueProblems(gpt, { resolution: '4k', ratio: '' })).toEqual([]);
	});

	test('a model that does not narrow its ratios at 4k takes them all there', () => {
		expect(valueProblems('seedream-4.5', { resolution: '4k', ratio: '1:1' })).toEqual([]);
	});
});

describe('checkFieldValues: number of images (n)', () => {
	const gpt = 'gpt-image-2/text-to-image';

	test.each([
		[0, false],
		[1, true],
		[2, true],
		[9, true],
		[10, true],
		[11, false],
		[-1, false],
		[2.5, false],
		['3', true],
		['10', true],
		['11', false],
		['three', false],
	])('n = %j for a model making 1–10: fits %s', (n, fits) => {
		expect(valueProblems(gpt, { n })).toHaveLength(fits ? 0 : 1);
	});

	test('Seedream 5 Lite makes at most 4: 4 passes, 5 does not', () => {
		expect(valueProblems('seedream-5-lite', { n: 4 })).toEqual([]);
		expect(valueProblems('seedream-5-lite', { n: 5 })).toEqual([
			{
				field: 'Number of Images',
				message: 'seedream-5-lite makes 1–4 images per task, not 5',
				fix: 'Use a whole number from 1 to 4; the price grows with it.',
			},
		]);
	});

	test('a model that takes no n refuses any n, even 1', () => {
		expect(valueProblems('veo3', { n: 1 })).toEqual([
			{
				field: 'Number of Images',
				message: 'veo3 takes no n (number of images)',
				fix: 'Remove n from the input.',
			},
		]);
	});

	test.each([undefined, null, ''])('an unset n (%j) is never checked', (n) => {
		expect(valueProblems('veo3', { n })).toEqual([]);
		expect(valueProblems(gpt, { n })).toEqual([]);
	});
});
