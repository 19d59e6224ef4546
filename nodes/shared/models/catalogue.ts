/**
 * Every MaxAPI model this package knows, grouped by family, with the input fields each one takes and their
 * allowed values, as docs.maxapi.io documents them (api-reference, one page per family: see docsUrl). The
 * MaxApi node's fields (fields.ts), the checks before submitting (validate.ts), the media rules (media.ts)
 * and the trigger's model filter all come from here; the emulator's limits are tested against it.
 */

import { GPT_IMAGE_2, GROK_IMAGINE, NANO_BANANA, SEEDREAM } from './imageFamilies';
import { JIMENG_IMAGE, JIMENG_VIDEO } from './legacyFamilies';
import type { Family, ModelSpec } from './types';
import { SEEDANCE, VEO } from './videoFamilies';

// The catalogue's users read its entries' shapes from here too.
export type { Family, FamilyId, MediaField, MediaKind, ModelSpec } from './types';

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
