/**
 * Every MaxAPI model this node knows, grouped by family, with the input fields each one takes and their
 * allowed values. Source: docs.maxapi.io as summarised in shared/docs/maxapi-api.md §6. The node's fields
 * (which ones show for which model, and their options) and the checks before submitting both come from here.
 */

export type FamilyId =
	| 'seedance'
	| 'veo'
	| 'nanoBanana'
	| 'seedream'
	| 'gptImage2'
	| 'grokImagine'
	| 'jimengVideo'
	| 'jimengImage';

/** Name of the `input` field that carries reference media; it differs between families. */
export type MediaField = 'mediaUrls' | 'imageUrls' | 'images';

export type MediaKind = 'image' | 'video' | 'audio';

export interface ModelSpec {
	id: string;
	name: string;
	description?: string;
	output: 'video' | 'image';
	/** Fewest reference media the model needs (image-to-image models need one). */
	minMedia?: number;
	/** Most reference media; 0 = text only; undefined = not documented, so not checked. */
	maxMedia?: number;
	/** Most images among the media (Seedance counts images, videos and audio apart). */
	maxImages?: number;
	/** Media kinds accepted; images only when not set. */
	mediaKinds?: MediaKind[];
	ratios?: string[];
	resolutions?: string[];
	/** Ratios allowed at 4k, where a model narrows them. */
	ratiosAt4k?: string[];
	durations?: number[];
	n?: { min: number; max: number };
	modes?: string[];
	/** Seedance's `fallback` flag. */
	fallback?: boolean;
	/** Fields whose allowed values are not documented: shown as free text, never checked. */
	freeFields?: Array<'ratio' | 'resolution' | 'duration'>;
}

export interface Family {
	id: FamilyId;
	name: string;
	mediaField: MediaField;
	/** Whether prompts refer to media by position (@1, @image1, @图1). */
	positionalReferences: boolean;
	docsUrl: string;
	models: ModelSpec[];
}

const DOCS = 'https://docs.maxapi.io/api-reference';

const SEEDANCE_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16'];
const SEEDANCE_RESOLUTIONS = ['480p', '720p', '1080p'];
const SEEDANCE_2_DURATIONS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const VEO_MODES = ['i2v', 'i2v-fl', 'r2v'];
const NANO_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const K_RESOLUTIONS = ['1k', '2k', '4k'];
const SEEDREAM_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'];
const GPT_IMAGE_RATIOS = [
	'1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '2:1', '1:2', '21:9', '9:21',
];
const GPT_IMAGE_RATIOS_AT_4K = ['16:9', '9:16', '2:1', '1:2', '21:9', '9:21'];
const GROK_RATIOS = ['1:1', '16:9', '9:16'];

function seedance2(id: string, name: string, description: string): ModelSpec {
	return {
		id,
		name,
		description,
		output: 'video',
		maxMedia: 12,
		maxImages: 9,
		mediaKinds: ['image', 'video', 'audio'],
		ratios: SEEDANCE_RATIOS,
		resolutions: SEEDANCE_RESOLUTIONS,
		durations: SEEDANCE_2_DURATIONS,
		fallback: true,
	};
}

function jimengVideo(id: string, name: string): ModelSpec {
	return { id, name, output: 'video', freeFields: ['ratio', 'duration'] };
}

function jimengImage(id: string, name: string): ModelSpec {
	return { id, name, output: 'image', freeFields: ['ratio', 'resolution'] };
}

export const FAMILIES: Family[] = [
	{
		id: 'seedance',
		name: 'Seedance Video',
		mediaField: 'mediaUrls',
		positionalReferences: true,
		docsUrl: `${DOCS}/seedance-video/text-to-video`,
		models: [
			seedance2('seedance-2.0', 'Seedance 2.0', 'Images, videos and audio as references; 4–15 s'),
			seedance2('seedance-2.0-fast', 'Seedance 2.0 Fast', 'Faster Seedance 2.0; 4–15 s'),
			{
				id: 'seedance-1.5-pro',
				name: 'Seedance 1.5 Pro',
				description: 'First frame or first + last frame (at most 2 images); 5 or 10 s',
				output: 'video',
				maxMedia: 2,
				maxImages: 2,
				ratios: SEEDANCE_RATIOS,
				resolutions: SEEDANCE_RESOLUTIONS,
				durations: [5, 10],
			},
		],
	},
	{
		id: 'veo',
		name: 'Veo 3.1 (Google)',
		mediaField: 'imageUrls',
		positionalReferences: false,
		docsUrl: `${DOCS}/veo-video/text-to-video`,
		models: [
			{
				id: 'veo3',
				name: 'Veo 3.1 Quality',
				output: 'video',
				maxMedia: 3,
				ratios: ['16:9', '9:16'],
				resolutions: ['1080p', '4k'],
				durations: [4, 6, 8],
				modes: VEO_MODES,
			},
			{
				id: 'veo3_fast',
				name: 'Veo 3.1 Fast',
				output: 'video',
				maxMedia: 3,
				ratios: ['16:9', '9:16'],
				resolutions: ['1080p', '4k'],
				durations: [4, 6, 8],
				modes: VEO_MODES,
			},
			{
				id: 'veo3_lite',
				name: 'Veo 3.1 Lite',
				description: '720p only; no reference-image (r2v) mode',
				output: 'video',
				maxMedia: 2,
				ratios: ['16:9', '9:16'],
				durations: [4, 6, 8],
				modes: ['i2v', 'i2v-fl'],
			},
		],
	},
	{
		id: 'nanoBanana',
		name: 'Nano Banana (Gemini)',
		mediaField: 'imageUrls',
		positionalReferences: false,
		docsUrl: `${DOCS}/nano-banana/text-to-image`,
		models: [
			{
				id: 'nano-banana',
				name: 'Nano Banana',
				description: 'Gemini 2.5 Flash; 1K only',
				output: 'image',
				ratios: ['16:9', '9:16'],
			},
			{
				id: 'nano-banana-2',
				name: 'Nano Banana 2',
				description: 'Gemini 3.1 Flash',
				output: 'image',
				ratios: NANO_RATIOS,
				resolutions: K_RESOLUTIONS,
			},
			{
				id: 'nano-banana-pro',
				name: 'Nano Banana Pro',
				description: 'Gemini 3.0 Pro',
				output: 'image',
				ratios: NANO_RATIOS,
				resolutions: K_RESOLUTIONS,
			},
		],
	},
	{
		id: 'seedream',
		name: 'Seedream Image',
		mediaField: 'imageUrls',
		positionalReferences: false,
		docsUrl: `${DOCS}/seedream-image/text-to-image`,
		models: [
			{
				id: 'seedream-5-lite',
				name: 'Seedream 5 Lite',
				output: 'image',
				ratios: SEEDREAM_RATIOS,
				resolutions: K_RESOLUTIONS,
				n: { min: 1, max: 4 },
			},
			{
				id: 'seedream-4.6',
				name: 'Seedream 4.6',
				description: 'Listed in one version of the MaxAPI docs only',
				output: 'image',
				ratios: SEEDREAM_RATIOS,
				resolutions: K_RESOLUTIONS,
				n: { min: 1, max: 15 },
			},
			{
				id: 'seedream-4.5',
				name: 'Seedream 4.5',
				output: 'image',
				ratios: SEEDREAM_RATIOS,
				resolutions: K_RESOLUTIONS,
				n: { min: 1, max: 15 },
			},
			{
				id: 'seedream-4',
				name: 'Seedream 4',
				output: 'image',
				ratios: SEEDREAM_RATIOS,
				resolutions: K_RESOLUTIONS,
				n: { min: 1, max: 15 },
			},
		],
	},
	{
		id: 'gptImage2',
		name: 'GPT Image 2',
		mediaField: 'imageUrls',
		positionalReferences: false,
		docsUrl: `${DOCS}/gpt-image-2/text-to-image`,
		models: [
			{
				id: 'gpt-image-2/text-to-image',
				name: 'GPT Image 2: Text to Image',
				output: 'image',
				maxMedia: 0,
				ratios: GPT_IMAGE_RATIOS,
				ratiosAt4k: GPT_IMAGE_RATIOS_AT_4K,
				resolutions: K_RESOLUTIONS,
				n: { min: 1, max: 10 },
			},
			{
				id: 'gpt-image-2/image-to-image',
				name: 'GPT Image 2: Image to Image',
				output: 'image',
				minMedia: 1,
				ratios: GPT_IMAGE_RATIOS,
				ratiosAt4k: GPT_IMAGE_RATIOS_AT_4K,
				resolutions: K_RESOLUTIONS,
				n: { min: 1, max: 10 },
			},
		],
	},
	{
		id: 'grokImagine',
		name: 'Grok Imagine (xAI)',
		mediaField: 'imageUrls',
		positionalReferences: false,
		docsUrl: `${DOCS}/grok-imagine/text-to-image`,
		models: [
			{
				id: 'grok-imagine/text-to-image-lite',
				name: 'Grok Imagine: Text to Image Lite',
				description: 'Orientation follows the prompt; no ratio or resolution',
				output: 'image',
				maxMedia: 0,
				n: { min: 1, max: 4 },
			},
			{
				id: 'grok-imagine/text-to-image-standard',
				name: 'Grok Imagine: Text to Image Standard',
				output: 'image',
				maxMedia: 0,
				ratios: GROK_RATIOS,
				resolutions: ['720p', '1080p'],
				n: { min: 1, max: 10 },
			},
			{
				id: 'grok-imagine/text-to-image-pro',
				name: 'Grok Imagine: Text to Image Pro',
				output: 'image',
				maxMedia: 0,
				ratios: GROK_RATIOS,
				resolutions: ['720p', '1080p'],
				n: { min: 1, max: 10 },
			},
			{
				id: 'grok-imagine/image-to-image',
				name: 'Grok Imagine: Image to Image',
				description: 'At most 2 reference images; output 1024×1024',
				output: 'image',
				minMedia: 1,
				maxMedia: 2,
			},
			{
				id: 'grok-imagine/text-to-video',
				name: 'Grok Imagine: Text to Video',
				output: 'video',
				maxMedia: 0,
				ratios: GROK_RATIOS,
				resolutions: ['480p', '720p'],
				durations: [6, 10, 12, 16, 20],
				modes: ['fun', 'normal', 'spicy', 'custom'],
			},
		],
	},
	{
		id: 'jimengVideo',
		name: 'Jimeng Video (Legacy)',
		mediaField: 'imageUrls',
		positionalReferences: true,
		docsUrl: `${DOCS}/jimeng-video/text-to-video`,
		models: [
			jimengVideo('jimeng-video-3.5-pro', 'Jimeng Video 3.5 Pro'),
			jimengVideo('jimeng-video-3.0-pro', 'Jimeng Video 3.0 Pro'),
			jimengVideo('jimeng-video-3.0', 'Jimeng Video 3.0'),
			jimengVideo('jimeng-video-2.0-pro', 'Jimeng Video 2.0 Pro'),
			jimengVideo('jimeng-video-2.0', 'Jimeng Video 2.0'),
			jimengVideo('seedance-2.0-pro', 'Seedance 2.0 Pro (Jimeng)'),
		],
	},
	{
		id: 'jimengImage',
		name: 'Jimeng Image (Legacy)',
		mediaField: 'images',
		positionalReferences: false,
		docsUrl: `${DOCS}/jimeng-image/text-to-image`,
		models: [
			jimengImage('jimeng-5.0-preview', 'Jimeng 5.0 Preview'),
			jimengImage('jimeng-4.6', 'Jimeng 4.6'),
			jimengImage('jimeng-4.5', 'Jimeng 4.5'),
			jimengImage('jimeng-4.1', 'Jimeng 4.1'),
			jimengImage('jimeng-4.0', 'Jimeng 4.0'),
			jimengImage('jimeng-3.1', 'Jimeng 3.1'),
			jimengImage('jimeng-3.0', 'Jimeng 3.0'),
			jimengImage('jimeng-2.1', 'Jimeng 2.1'),
			jimengImage('jimeng-2.0-pro', 'Jimeng 2.0 Pro'),
			jimengImage('jimeng-2.0', 'Jimeng 2.0'),
			jimengImage('jimeng-1.4', 'Jimeng 1.4'),
			jimengImage('jimeng-xl-pro', 'Jimeng XL Pro'),
		],
	},
];

export function findFamily(id: string): Family | undefined {
	return FAMILIES.find((family) => family.id === id);
}

export function findModel(family: Family, modelId: string): ModelSpec | undefined {
	return family.models.find((model) => model.id === modelId);
}

export const ALL_MODELS: ModelSpec[] = FAMILIES.flatMap((family) => family.models);
