/** The video families of the catalogue (catalogue.ts): Seedance and Veo; Jimeng's are in legacyFamilies.ts. */
import type { Family, ModelSpec } from './types';

const SEEDANCE_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16'];
const SEEDANCE_RESOLUTIONS = ['480p', '720p', '1080p'];
const VEO_MEDIA_PER_MODE: ModelSpec['mediaPerMode'] = {
	i2v: { min: 1, max: 1, label: 'first frame: exactly 1 image', makes: 'first-frame' },
	'i2v-fl': {
		min: 2,
		max: 2,
		label: 'first + last frame: exactly 2 images',
		makes: 'first-and-last-frame',
	},
	r2v: { min: 1, max: 3, label: 'reference images: 1 to 3 images', makes: 'multi-reference' },
};
export const VIDEO_IMAGE_HELP =
	'Public image URLs, separated by commas or new lines, or an expression giving a list. None: text-to-video; 1: first frame; 2: first and last frame; 3: reference images.';

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
		durations: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
		fallback: true,
	};
}

function veo(id: string, name: string, more: Partial<ModelSpec> = {}): ModelSpec {
	return {
		id,
		name,
		output: 'video',
		maxMedia: 3,
		ratios: ['16:9', '9:16'],
		resolutions: ['1080p', '4k'],
		durations: [4, 6, 8],
		modes: Object.keys(VEO_MEDIA_PER_MODE ?? {}),
		mediaPerMode: VEO_MEDIA_PER_MODE,
		...more,
	};
}

export const SEEDANCE: Family = {
	id: 'seedance',
	name: 'Seedance Video',
	mediaField: 'mediaUrls',
	mediaHelp:
		'Public URLs of reference images, videos (mp4, mov) or audio (mp3, wav), separated by commas or new lines, or an expression giving a list. Order matters: the prompt refers to them as @1, @2… None: text-to-video; 1 image: first frame; 2: first and last frame; more: references.',
	positionalReferences: true,
	docsUrl: `https://docs.maxapi.io/api-reference/seedance-video/text-to-video`,
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
};

export const VEO: Family = {
	id: 'veo',
	name: 'Veo 3.1 (Google)',
	mediaField: 'imageUrls',
	mediaHelp: VIDEO_IMAGE_HELP,
	positionalReferences: false,
	docsUrl: `https://docs.maxapi.io/api-reference/veo-video/text-to-video`,
	models: [
		veo('veo3', 'Veo 3.1 Quality'),
		veo('veo3_fast', 'Veo 3.1 Fast'),
		veo('veo3_lite', 'Veo 3.1 Lite', {
			description: '720p only; no reference-image (r2v) mode',
			maxMedia: 2,
			resolutions: undefined,
			modes: ['i2v', 'i2v-fl'],
		}),
	],
};
