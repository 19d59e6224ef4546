/** The catalogue (catalogue.ts): the families in panel order, findFamily by ID, and ALL_MODELS as every family's models. */
import { ALL_MODELS, FAMILIES, findFamily } from '../../../nodes/shared/models/catalogue';

describe('FAMILIES', () => {
	test('lists the families in the order the panel shows them', () => {
		expect(FAMILIES.map((family) => family.id)).toEqual([
			'seedance',
			'veo',
			'nanoBanana',
			'seedream',
			'gptImage2',
			'grokImagine',
			'jimengVideo',
			'jimengImage',
		]);
	});

	test('every family has at least one model and a docs page on docs.maxapi.io', () => {
		for (const family of FAMILIES) {
			expect(family.models.length).toBeGreaterThan(0);
			expect(family.docsUrl).toMatch(/^https:\/\/docs\.maxapi\.io\/api-reference\//);
		}
	});
});

describe('findFamily', () => {
	test.each(FAMILIES.map((family) => [family.id, family] as const))(
		'finds %s by its ID, as the very family FAMILIES lists',
		(id, family) => {
			expect(findFamily(id)).toBe(family);
		},
	);

	test.each([
		['an empty ID', ''],
		['a differently cased ID', 'Seedance'],
		['a model ID', 'seedance-2.0'],
		['a prefix of an ID', 'seed'],
		['an ID with a space', 'veo '],
		['a display name', 'Veo 3.1 (Google)'],
	])('finds nothing for %s (%j)', (_what, id) => {
		expect(findFamily(id)).toBeUndefined();
	});
});

describe('ALL_MODELS', () => {
	test("holds every family's models, family by family in panel order", () => {
		expect(ALL_MODELS).toEqual(FAMILIES.flatMap((family) => family.models));
		expect(ALL_MODELS).toHaveLength(
			FAMILIES.reduce((total, family) => total + family.models.length, 0),
		);
		for (const family of FAMILIES) {
			for (const model of family.models) expect(ALL_MODELS).toContain(model);
		}
	});

	test('no two models share an ID, so an ID names one model of one family', () => {
		const ids = ALL_MODELS.map((model) => model.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	test('holds exactly the model IDs of the API reference', () => {
		// Every model id of the API reference (docs.maxapi.io/api-reference), written out independently.
		const documented = [
			'seedance-2.0',
			'seedance-2.0-fast',
			'seedance-1.5-pro',
			'seedance-2.0-pro',
			'jimeng-video-3.5-pro',
			'jimeng-video-3.0-pro',
			'jimeng-video-3.0',
			'jimeng-video-2.0-pro',
			'jimeng-video-2.0',
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
			'seedream-5-lite',
			'seedream-4.5',
			'seedream-4',
			'seedream-4.6',
			'nano-banana',
			'nano-banana-2',
			'nano-banana-pro',
			'veo3',
			'veo3_fast',
			'veo3_lite',
			'grok-imagine/text-to-image-lite',
			'grok-imagine/text-to-image-standard',
			'grok-imagine/text-to-image-pro',
			'grok-imagine/text-to-video',
			'grok-imagine/image-to-image',
			'gpt-image-2/text-to-image',
			'gpt-image-2/image-to-image',
		];
		expect(ALL_MODELS.map((model) => model.id).sort()).toEqual([...documented].sort());
	});
});
