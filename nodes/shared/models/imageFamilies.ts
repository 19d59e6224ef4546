/**
 * The image families of the catalogue (catalogue.ts), Grok Imagine's video model included; Jimeng's are in
 * legacyFamilies.ts.
 */
import type { Family, ModelSpec } from './types';

const K_RESOLUTIONS = ['1k', '2k', '4k'];
const NANO_RATIOS = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const SEEDREAM_RATIOS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'];
const GPT_IMAGE_RATIOS = [
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
];
const GPT_IMAGE_RATIOS_AT_4K = ['16:9', '9:16', '2:1', '1:2', '21:9', '9:21'];
const GROK_RATIOS = ['1:1', '16:9', '9:16'];
export const IMAGE_HELP =
	'Public image URLs, separated by commas or new lines, or an expression giving a list. Any image makes it an image-to-image request.';

/** Grok Imagine's Standard and Pro take the same fields; only their ID and name differ. */
function grokTextToImage(id: string, name: string): ModelSpec {
	return {
		id,
		name,
		output: 'image',
		maxMedia: 0,
		ratios: GROK_RATIOS,
		resolutions: ['720p', '1080p'],
		n: { min: 1, max: 10 },
	};
}

function seedream(id: string, name: string, maxImages: number, description?: string): ModelSpec {
	return {
		id,
		name,
		...(description ? { description } : {}),
		output: 'image',
		ratios: SEEDREAM_RATIOS,
		resolutions: K_RESOLUTIONS,
		n: { min: 1, max: maxImages },
	};
}

export const NANO_BANANA: Family = {
	id: 'nanoBanana',
	name: 'Nano Banana (Gemini)',
	mediaField: 'imageUrls',
	mediaHelp: IMAGE_HELP,
	positionalReferences: false,
	docsUrl: `https://docs.maxapi.io/api-reference/nano-banana/text-to-image`,
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
};

export const SEEDREAM: Family = {
	id: 'seedream',
	name: 'Seedream Image',
	mediaField: 'imageUrls',
	mediaHelp: IMAGE_HELP,
	positionalReferences: false,
	docsUrl: `https://docs.maxapi.io/api-reference/seedream-image/text-to-image`,
	models: [
		seedream('seedream-5-lite', 'Seedream 5 Lite', 4),
		seedream('seedream-4.6', 'Seedream 4.6', 15, 'Listed in one version of the MaxAPI docs only'),
		seedream('seedream-4.5', 'Seedream 4.5', 15),
		seedream('seedream-4', 'Seedream 4', 15),
	],
};

export const GPT_IMAGE_2: Family = {
	id: 'gptImage2',
	name: 'GPT Image 2',
	mediaField: 'imageUrls',
	mediaHelp: IMAGE_HELP,
	positionalReferences: false,
	docsUrl: `https://docs.maxapi.io/api-reference/gpt-image-2/text-to-image`,
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
};

export const GROK_IMAGINE: Family = {
	id: 'grokImagine',
	name: 'Grok Imagine (xAI)',
	mediaField: 'imageUrls',
	mediaHelp: IMAGE_HELP,
	positionalReferences: false,
	docsUrl: `https://docs.maxapi.io/api-reference/grok-imagine/text-to-image`,
	models: [
		{
			id: 'grok-imagine/text-to-image-lite',
			name: 'Grok Imagine: Text to Image Lite',
			description: 'Orientation follows the prompt; no ratio or resolution',
			output: 'image',
			maxMedia: 0,
			n: { min: 1, max: 4 },
		},
		grokTextToImage('grok-imagine/text-to-image-standard', 'Grok Imagine: Text to Image Standard'),
		grokTextToImage('grok-imagine/text-to-image-pro', 'Grok Imagine: Text to Image Pro'),
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
};
