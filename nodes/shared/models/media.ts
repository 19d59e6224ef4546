/**
 * What the reference media of a submit are and what MaxAPI will make of them: the kind of each URL (by its
 * extension), whether the model makes a video, and the generation mode the media count implies.
 */
import type { Family, GenerationMode, MediaKind, MediaPlan } from './types';

const EXTENSION_KINDS: Record<string, MediaKind> = {
	jpg: 'image',
	jpeg: 'image',
	png: 'image',
	webp: 'image',
	gif: 'image',
	bmp: 'image',
	mp4: 'video',
	mov: 'video',
	m4v: 'video',
	mp3: 'audio',
	wav: 'audio',
};

export const IMAGE_EXTENSIONS = Object.keys(EXTENSION_KINDS).filter(
	(extension) => EXTENSION_KINDS[extension] === 'image',
);

export function mediaFieldLabel(family: Family): string {
	return family.mediaField === 'mediaUrls' ? 'Media URLs' : 'Image URLs';
}

export function mediaKindOf(url: string): MediaKind | undefined {
	let path = url;
	try {
		path = new URL(url).pathname;
	} catch {
		// Not a URL: the URL check reports it; guess from the text.
	}
	const extension = path.split('.').pop()?.toLowerCase() ?? '';
	return EXTENSION_KINDS[extension];
}

/** The model's own output; for an ID the catalogue lacks, its family's, or (mixed families) its name's. */
export function isVideoOutput(plan: Pick<MediaPlan, 'family' | 'model' | 'modelId'>): boolean {
	if (plan.model) return plan.model.output === 'video';
	const outputs = new Set(plan.family.models.map((model) => model.output));
	if (outputs.size === 1) return outputs.has('video');
	return plan.modelId.includes('video');
}

/** What MaxAPI will make of the media: it picks the mode from how many there are, or from `mode`. */
export function generationMode(plan: MediaPlan): GenerationMode {
	const count = plan.media.length;
	if (!isVideoOutput(plan)) return count === 0 ? 'text-to-image' : 'image-to-image';
	const mode = String(plan.input.mode ?? '');
	const chosen = plan.family.models.find((model) => model.mediaPerMode?.[mode])?.mediaPerMode?.[
		mode
	];
	if (chosen) return chosen.makes;
	if (plan.media.some((url) => (mediaKindOf(url) ?? 'image') !== 'image')) return 'multi-reference';
	if (count === 0) return 'text-to-video';
	if (count === 1) return 'first-frame';
	if (count === 2) return 'first-and-last-frame';
	return 'multi-reference';
}
