/**
 * The Submit fields that come from the catalogue: the family and model lists, the media field of each
 * family, and one field per distinct set of allowed values (ratio, resolution, duration, mode, number of
 * images), shown only for the models that take exactly those values. Also which of them a model takes.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ALL_MODELS, FAMILIES, type ModelSpec } from './catalogue';
import { mediaFieldLabel } from './media';

const MODE_NAMES: Record<string, string> = {
	i2v: 'First Frame (I2v)',
	'i2v-fl': 'First and Last Frame (I2v-Fl)',
	r2v: 'Reference Images (R2v)',
	fun: 'Fun',
	normal: 'Normal',
	spicy: 'Spicy',
	custom: 'Custom',
};

function modelsWith(predicate: (model: ModelSpec) => boolean): ModelSpec[] {
	return ALL_MODELS.filter(predicate);
}

/** Groups models by the JSON of a value list, so each distinct list gets one field. */
function groupBy<T>(models: ModelSpec[], valuesOf: (model: ModelSpec) => T | undefined) {
	const groups = new Map<string, { values: T; modelIds: string[] }>();
	for (const model of models) {
		const values = valuesOf(model);
		if (values === undefined) continue;
		const key = JSON.stringify(values);
		const group = groups.get(key) ?? { values, modelIds: [] };
		group.modelIds.push(model.id);
		groups.set(key, group);
	}
	return [...groups.values()];
}

function choiceFields(
	name: 'ratio' | 'resolution' | 'duration' | 'mode',
	displayName: string,
	valuesOf: (model: ModelSpec) => Array<string | number> | undefined,
	describe: (value: string | number) => string,
	description: string,
): INodeProperties[] {
	return groupBy(ALL_MODELS, valuesOf).map(({ values, modelIds }) => {
		// "Not set" is 0 for numeric fields and '' for text ones; either way nothing is sent.
		const notSet = typeof values[0] === 'number' ? 0 : '';
		const options: INodePropertyOptions[] = [
			{ name: name === 'mode' ? 'Automatic' : 'Model Default', value: notSet },
			...values.map((value) => ({ name: describe(value), value })),
		];
		return {
			displayName,
			name,
			type: 'options',
			options,
			default: notSet,
			description,
			displayOptions: { show: { model: modelIds } },
		} satisfies INodeProperties;
	});
}

function freeTextFields(): INodeProperties[] {
	const freeRatio = modelsWith((model) => model.freeFields?.includes('ratio') ?? false);
	const freeResolution = modelsWith((model) => model.freeFields?.includes('resolution') ?? false);
	const freeDuration = modelsWith((model) => model.freeFields?.includes('duration') ?? false);
	return [
		{
			displayName: 'Ratio',
			name: 'ratio',
			type: 'string',
			default: '',
			placeholder: '16:9',
			description:
				'Aspect ratio. The allowed values of this legacy model are not documented; empty sends none.',
			displayOptions: { show: { model: freeRatio.map((model) => model.id) } },
		},
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'string',
			default: '',
			placeholder: '2k',
			description: 'The allowed values of this legacy model are not documented; empty sends none',
			displayOptions: { show: { model: freeResolution.map((model) => model.id) } },
		},
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			default: 0,
			description: 'Video length in seconds; 0 sends none and lets the model decide',
			displayOptions: { show: { model: freeDuration.map((model) => model.id) } },
		},
	];
}

function numberOfImagesFields(): INodeProperties[] {
	return groupBy(ALL_MODELS, (model) => model.n).map(({ values, modelIds }) => ({
		displayName: 'Number of Images',
		name: 'n',
		type: 'number',
		default: 1,
		typeOptions: { minValue: values.min, maxValue: values.max },
		description: `How many images one task makes (${values.min}–${values.max}); the price grows with it`,
		displayOptions: { show: { model: modelIds } },
	}));
}

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

const textOnlyModelIds = modelsWith((model) => model.maxMedia === 0).map((model) => model.id);

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

/** Ratio, resolution, duration, mode, number of images and fallback, each only for the models that take it. */
export const modelOptionFields: INodeProperties[] = [
	...choiceFields(
		'ratio',
		'Ratio',
		(model) => (model.freeFields?.includes('ratio') ? undefined : model.ratios),
		(value) => String(value),
		'Aspect ratio of the result',
	),
	...choiceFields(
		'resolution',
		'Resolution',
		(model) => (model.freeFields?.includes('resolution') ? undefined : model.resolutions),
		(value) => String(value),
		'Resolution of the result; higher costs more',
	),
	...choiceFields(
		'duration',
		'Duration',
		(model) => (model.freeFields?.includes('duration') ? undefined : model.durations),
		(value) => `${value} s`,
		'Video length; the price grows with it',
	),
	...choiceFields(
		'mode',
		'Mode',
		(model) => model.modes,
		(value) => MODE_NAMES[String(value)] ?? String(value),
		'How the model uses the input. Automatic lets MaxAPI decide from the number of images.',
	),
	...freeTextFields(),
	...numberOfImagesFields(),
	{
		displayName: 'Fall Back to Seedance 1.5 Pro',
		name: 'fallback',
		type: 'boolean',
		default: false,
		description: 'Whether MaxAPI may finish the task with seedance-1.5-pro when this model fails',
		displayOptions: {
			show: { model: modelsWith((model) => model.fallback === true).map((model) => model.id) },
		},
	},
];

/**
 * The fields a model takes, as their parameter names. Each is sent only when set, so MaxAPI's own default
 * applies otherwise; a model ID the catalogue lacks takes its fields from Additional Input (JSON).
 */
export function fieldsTakenBy(model: ModelSpec | undefined): string[] {
	if (!model) return [];
	const free = model.freeFields ?? [];
	const takes: Record<string, boolean> = {
		ratio: model.ratios !== undefined || free.includes('ratio'),
		resolution: model.resolutions !== undefined || free.includes('resolution'),
		duration: model.durations !== undefined || free.includes('duration'),
		mode: model.modes !== undefined,
		n: model.n !== undefined,
		fallback: model.fallback === true,
	};
	return Object.keys(takes).filter((field) => takes[field]);
}
