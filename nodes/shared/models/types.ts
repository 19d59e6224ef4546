/**
 * The shapes the model modules share: a family and its models as the catalogue lists them, and a submit
 * as it will be sent with the problems found in it. Types only, so that the catalogue, its family files,
 * media.ts, validate.ts and limits.ts can all use them without importing one another.
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

export type GenerationMode =
	| 'text-to-video'
	| 'first-frame'
	| 'first-and-last-frame'
	| 'multi-reference'
	| 'text-to-image'
	| 'image-to-image';

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
	/** How many images each `mode` takes and what it makes (Veo). */
	mediaPerMode?: Record<string, { min: number; max: number; label: string; makes: GenerationMode }>;
	/** Fields whose allowed values are not documented: shown as free text, never checked. */
	freeFields?: Array<'ratio' | 'resolution' | 'duration'>;
}

export interface Family {
	id: FamilyId;
	name: string;
	mediaField: MediaField;
	/** What the panel says about the media field. */
	mediaHelp: string;
	/** Whether prompts refer to media by position (@1, @image1, @图1). */
	positionalReferences: boolean;
	docsUrl: string;
	models: ModelSpec[];
}

/** The media of one submit: its family and model (undefined for a model ID the catalogue lacks). */
export interface MediaPlan {
	family: Family;
	model: ModelSpec | undefined;
	modelId: string;
	input: Record<string, unknown>;
	media: string[];
}

/** A submit as it will be sent. `model` is undefined for a model ID the catalogue lacks (by expression). */
export interface SubmitPlan extends MediaPlan {
	callBackUrl?: string;
	userId?: string;
	/** The caller's own text for the item: on the output, and in the callback URL for the Trigger. */
	reference?: string;
}

export interface InputProblem {
	field: string;
	message: string;
	fix: string;
}
