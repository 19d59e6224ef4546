/**
 * Every MaxAPI model this package knows, grouped by family, with the input fields each one takes and their
 * allowed values, as docs.maxapi.io documents them (api-reference, one page per family: see docsUrl). The
 * MaxApi node's fields (fields.ts), the checks before submitting (validate.ts), the media rules (media.ts)
 * and the trigger's model filter all come from here; the emulator's limits are tested against it.
 */

import type { GenerationMode } from './media';
import { GPT_IMAGE_2, GROK_IMAGINE, JIMENG_IMAGE, NANO_BANANA, SEEDREAM } from './imageFamilies';
import { JIMENG_VIDEO, SEEDANCE, VEO } from './videoFamilies';

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

// In the order the panel lists them.
export const FAMILIES: Family[] = [
	SEEDANCE,
	VEO,
	NANO_BANANA,
	SEEDREAM,
	GPT_IMAGE_2,
	GROK_IMAGINE,
	JIMENG_VIDEO,
	JIMENG_IMAGE,
];

export function findFamily(id: string): Family | undefined {
	return FAMILIES.find((family) => family.id === id);
}

export const ALL_MODELS: ModelSpec[] = FAMILIES.flatMap((family) => family.models);
