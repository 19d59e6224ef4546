/**
 * The emulator's model table (models.js) against the node's catalogue (nodes/shared/models/catalogue.ts): every
 * model id in either is in both, and each limit the emulator enforces is the catalogue's. A failure names the
 * model, the limit and what each side says.
 */
import {
	ALL_MODELS,
	FAMILIES,
	type Family,
	type FamilyId,
	type MediaField,
	type ModelSpec,
} from '../../nodes/shared/models/catalogue';

type ValueField = 'ratio' | 'resolution' | 'duration' | 'mode';

interface EmulatorRule {
	values?: Array<string | number>;
	min?: number;
	max?: number;
}

interface EmulatorModel {
	output: string;
	media: string[];
	limits: Partial<Record<ValueField | 'n', EmulatorRule>>;
	items?: [number, number];
	maxImages?: number;
	imagesOnly?: boolean;
}

const { MODELS } = require('./models.js') as { MODELS: Record<string, EmulatorModel> };

const VALUE_FIELDS: Array<[ValueField, 'ratios' | 'resolutions' | 'durations' | 'modes']> = [
	['ratio', 'ratios'],
	['resolution', 'resolutions'],
	['duration', 'durations'],
	['mode', 'modes'],
];

type Aspect =
	| 'output'
	| ValueField
	| 'n'
	| 'media fields'
	| 'requires media'
	| 'media count'
	| 'max images'
	| 'images only';
const MEDIA_ASPECTS: Aspect[] = ['media count', 'max images', 'images only'];

/** What one side enforces for a model, one readable text per aspect (undefined: the model takes no media). */
type Limits = Partial<Record<Aspect, string>>;

/**
 * Seedance also takes `imageUrls` as another name for `mediaUrls` (MaxAPI docs, Seedance video pages); the node
 * sends only the family's field, the emulator checks both.
 */
const MEDIA_FIELD_ALIASES: Partial<Record<FamilyId, MediaField[]>> = { seedance: ['imageUrls'] };

/**
 * Where the two disagree today: reported, and left for a decision on which side is right. An entry that no
 * longer differs fails the test, so the list cannot go stale.
 */
const KNOWN_DIFFERENCES: Array<{ aspect: Aspect; models: string[]; why: string }> = [
	{
		aspect: 'media count',
		models: ['veo3_lite'],
		why: 'the emulator allows 3 images as for veo3; the catalogue 2, as lite has no r2v (3 images mean r2v)',
	},
	{
		aspect: 'media fields',
		models: ['gpt-image-2/text-to-image'],
		why: 'the emulator checks imageUrls for both GPT Image 2 models; the catalogue says text-to-image takes no media',
	},
	{
		aspect: 'requires media',
		models: ['gpt-image-2/image-to-image', 'grok-imagine/image-to-image'],
		why: 'the catalogue needs at least one image; the emulator checks a media list only when one is sent',
	},
	{
		aspect: 'images only',
		models: [
			'veo3',
			'veo3_fast',
			'veo3_lite',
			'nano-banana',
			'nano-banana-2',
			'nano-banana-pro',
			'seedream-5-lite',
			'seedream-4.6',
			'seedream-4.5',
			'seedream-4',
			'gpt-image-2/image-to-image',
			'grok-imagine/image-to-image',
			'jimeng-video-3.5-pro',
			'jimeng-video-3.0-pro',
			'jimeng-video-3.0',
			'jimeng-video-2.0-pro',
			'jimeng-video-2.0',
			'seedance-2.0-pro',
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
		why: 'the catalogue allows images only unless mediaKinds says more; the emulator refuses video and audio only for seedance-1.5-pro',
	},
];

const sorted = (values: Array<string | number>): string =>
	[...values]
		.sort((a, b) =>
			typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
		)
		.join(', ');
const oneOf = (values: Array<string | number> | undefined): string =>
	values ? `one of ${sorted(values)}` : 'not checked';
const range = (min: number, max: number): string =>
	`${min} to ${max === Infinity ? 'any number' : max}`;
const fieldList = (fields: string[]): string =>
	fields.length > 0 ? [...fields].sort().join(', ') : 'none';

// An empty media list is never sent (the node leaves the field out), so a count's lower end is at least 1.
const mediaCount = (min: number, max: number): string => range(Math.max(1, min), max);
// A limit on images matters only below the limit on all media.
const maxImages = (images: number | undefined, all: number): string =>
	images !== undefined && images < all ? String(images) : 'no separate limit';

function emulatorLimits(spec: EmulatorModel): Limits {
	const limits: Limits = { output: spec.output };
	for (const [field] of VALUE_FIELDS) {
		const rule = spec.limits[field];
		const values =
			rule?.values ??
			(rule
				? Array.from({ length: rule.max! - rule.min! + 1 }, (_, i) => rule.min! + i)
				: undefined);
		limits[field] = oneOf(values);
	}
	const n = spec.limits.n;
	limits.n = n ? range(n.min!, n.max!) : 'not checked';
	limits['media fields'] = fieldList(spec.media);
	limits['requires media'] = 'no'; // media lists are checked only when present
	if (spec.media.length > 0) {
		const [min, max] = spec.items ?? [0, Infinity];
		limits['media count'] = mediaCount(min, max);
		limits['max images'] = maxImages(spec.maxImages, max);
		limits['images only'] = spec.imagesOnly ? 'yes' : 'no';
	}
	return limits;
}

function catalogueLimits(family: Family, spec: ModelSpec): Limits {
	const limits: Limits = { output: spec.output };
	for (const [field, key] of VALUE_FIELDS) {
		const free = (spec.freeFields as string[] | undefined)?.includes(field);
		limits[field] = oneOf(free ? undefined : spec[key]);
	}
	limits.n = spec.n ? range(spec.n.min, spec.n.max) : 'not checked';
	const takesMedia = spec.maxMedia !== 0;
	limits['media fields'] = fieldList(
		takesMedia ? [family.mediaField, ...(MEDIA_FIELD_ALIASES[family.id] ?? [])] : [],
	);
	limits['requires media'] = (spec.minMedia ?? 0) >= 1 ? 'yes' : 'no';
	if (takesMedia) {
		const max = spec.maxMedia ?? Infinity;
		limits['media count'] = mediaCount(spec.minMedia ?? 0, max);
		limits['max images'] = maxImages(spec.maxImages, max);
		limits['images only'] = (spec.mediaKinds ?? ['image']).every((kind) => kind === 'image')
			? 'yes'
			: 'no';
	}
	return limits;
}

/** "aspect: emulator X, catalogue Y" for each aspect where they differ. */
function differences(emulator: Limits, catalogue: Limits): Array<{ aspect: Aspect; text: string }> {
	const fieldsDiffer = emulator['media fields'] !== catalogue['media fields'];
	return (
		(Object.keys({ ...emulator, ...catalogue }) as Aspect[])
			// Counts and kinds of different fields are not comparable; the field difference is reported instead.
			.filter((aspect) => !(fieldsDiffer && MEDIA_ASPECTS.includes(aspect)))
			.filter((aspect) => emulator[aspect] !== catalogue[aspect])
			.map((aspect) => ({
				aspect,
				text: `${aspect}: emulator ${emulator[aspect] ?? 'takes no media'}, catalogue ${catalogue[aspect] ?? 'takes no media'}`,
			}))
	);
}

const knownFor = (model: string): Aspect[] =>
	KNOWN_DIFFERENCES.filter((known) => known.models.includes(model)).map((known) => known.aspect);

const catalogueById = new Map(
	FAMILIES.flatMap((family) => family.models.map((spec) => [spec.id, { family, spec }] as const)),
);
const emulatorIds = Object.keys(MODELS);
const catalogueIds = ALL_MODELS.map((spec) => spec.id);
const allIds = [...new Set([...catalogueIds, ...emulatorIds])];

describe('emulator model table against the node catalogue', () => {
	test('every model id is known to both', () => {
		expect(emulatorIds.filter((id) => !catalogueById.has(id))).toEqual([]); // in the emulator only
		expect(catalogueIds.filter((id) => !(id in MODELS))).toEqual([]); // in the catalogue only
		expect(new Set(catalogueIds).size).toBe(catalogueIds.length); // no id twice in the catalogue
	});

	test.each(allIds)('%s: the emulator enforces the catalogue limits', (id) => {
		const emulator = MODELS[id];
		const catalogue = catalogueById.get(id);
		expect({
			id,
			inEmulator: emulator !== undefined,
			inCatalogue: catalogue !== undefined,
		}).toEqual({
			id,
			inEmulator: true,
			inCatalogue: true,
		});
		const found = differences(
			emulatorLimits(emulator),
			catalogueLimits(catalogue!.family, catalogue!.spec),
		);
		const known = knownFor(id);
		// One expectation, so that a failure shows both lists.
		expect({
			differences: found.filter((d) => !known.includes(d.aspect)).map((d) => `${id} ${d.text}`),
			agreeNow: known
				.filter((aspect) => !found.some((d) => d.aspect === aspect))
				.map(
					(aspect) =>
						`${id} ${aspect}: listed in KNOWN_DIFFERENCES, but the two agree now; remove it there`,
				),
		}).toEqual({ differences: [], agreeNow: [] });
	});

	test('KNOWN_DIFFERENCES names only models that exist, each once per aspect', () => {
		for (const { aspect, models } of KNOWN_DIFFERENCES) {
			expect({ aspect, unknown: models.filter((id) => !allIds.includes(id)) }).toEqual({
				aspect,
				unknown: [],
			});
			expect({ aspect, repeated: models.filter((id, i) => models.indexOf(id) !== i) }).toEqual({
				aspect,
				repeated: [],
			});
		}
	});
});
