/**
 * The Submit fields that come from the catalogue. Here: the family and model lists and the media field of
 * each family. The model's options (ratio, resolution, duration, mode, number of images, fallback) and
 * which of them a model takes are in modelOptionFields.ts; Submit takes them from here with the rest.
 */
import type { INodeProperties } from 'n8n-workflow';

import { ALL_MODELS, FAMILIES } from './catalogue';
import { mediaFieldLabel } from './media';

export { fieldsTakenBy, modelOptionFields } from './modelOptionFields';

export const modelFields: INodeProperties[] = FAMILIES.map((family) => {
	const firstModelId = family.models[0].id;
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: family.models.map((model) => ({
			name: model.name,
			value: model.id,
			description: model.description ?? model.id,
		})),
		default: firstModelId,
		required: true,
		description:
			'The model to use. To use a model this list does not have yet, switch to an expression and type its ID.',
		displayOptions: { show: { family: [family.id] } },
	};
});

const textOnlyModelIds = ALL_MODELS.filter((model) => model.maxMedia === 0).map(
	(model) => model.id,
);

export const mediaFields: INodeProperties[] = FAMILIES.map((family) => ({
	displayName: mediaFieldLabel(family),
	name: 'mediaUrls',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/first.png, https://example.com/last.png',
	description: family.mediaHelp,
	displayOptions: { show: { family: [family.id] }, hide: { model: textOnlyModelIds } },
}));

export const familyField: INodeProperties = {
	displayName: 'Model Family',
	name: 'family',
	type: 'options',
	noDataExpression: true,
	options: FAMILIES.map((family) => ({ name: family.name, value: family.id })),
	default: 'seedance',
};
