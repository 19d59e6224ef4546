/**
 * The legacy Jimeng families of the catalogue (catalogue.ts), video and image. Their docs list no allowed
 * values, so some fields of each are free text.
 */
import { IMAGE_HELP } from './imageFamilies';
import type { Family, ModelSpec } from './types';
import { VIDEO_IMAGE_HELP } from './videoFamilies';

/** The models of one legacy family share their output and free-text fields; only ID and name differ. */
function legacyModelMaker(output: ModelSpec['output'], freeFields: ModelSpec['freeFields']) {
	return (id: string, name: string): ModelSpec => ({ id, name, output, freeFields });
}

const jimengVideo = legacyModelMaker('video', ['ratio', 'duration']);
const jimengImage = legacyModelMaker('image', ['ratio', 'resolution']);

export const JIMENG_VIDEO: Family = {
	id: 'jimengVideo',
	name: 'Jimeng Video (Legacy)',
	mediaField: 'imageUrls',
	mediaHelp: VIDEO_IMAGE_HELP,
	positionalReferences: true,
	docsUrl: `https://docs.maxapi.io/api-reference/jimeng-video/text-to-video`,
	models: [
		jimengVideo('jimeng-video-3.5-pro', 'Jimeng Video 3.5 Pro'),
		jimengVideo('jimeng-video-3.0-pro', 'Jimeng Video 3.0 Pro'),
		jimengVideo('jimeng-video-3.0', 'Jimeng Video 3.0'),
		jimengVideo('jimeng-video-2.0-pro', 'Jimeng Video 2.0 Pro'),
		jimengVideo('jimeng-video-2.0', 'Jimeng Video 2.0'),
		jimengVideo('seedance-2.0-pro', 'Seedance 2.0 Pro (Jimeng)'),
	],
};

export const JIMENG_IMAGE: Family = {
	id: 'jimengImage',
	name: 'Jimeng Image (Legacy)',
	mediaField: 'images',
	mediaHelp: IMAGE_HELP,
	positionalReferences: false,
	docsUrl: `https://docs.maxapi.io/api-reference/jimeng-image/text-to-image`,
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
};
