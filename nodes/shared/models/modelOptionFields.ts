/**
 * The Submit fields for a model's options, from the catalogue: one field per distinct set of allowed values
 * (ratio, resolution, duration, mode, number of images), shown only for the models that take exactly those
 * values; free text where the values are not documented; Seedance's fallback. Also which of them a model
 * takes.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ALL_MODELS } from './catalogue';
import type { ModelSpec } from './types';

type ChoiceName = 'ratio' | 'resolution' | 'duration' | 'mode';

// Where the catalogue lists each choice's allowed values.
const ALLOWED_VALUES_KEY = {
	ratio: 'ratios',
	resolution: 'resolutions',
	duration: 'durations',
	mode: 'modes',
} as const;

const MODE_NAMES: Record<string, string> = {
	i2v: 'First Frame (I2v)',
	'i2v-fl': 'First and Last Frame (I2v-Fl)',
	r2v: 'Reference Images (R2v)',
	fun: 'Fun',
	normal: 'Normal',
	spicy: 'Spicy',
	custom: 'Custom',
};

const inSeconds = (value: string | number) => `${value} s`;
const modeName = (value: string | number) => MODE_NAMES[String(value)] ?? String(value);

function modelIdsWhere(predicate: (model: ModelSpec) => boolean): string[] {
	return ALL_MODELS.filter(predicate).map((model) => model.id);
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

/** A model's allowed values for the choice; none where they are not documented (see freeTextFields). */
function allowedValues(model: ModelSpec, name: ChoiceName): Array<string | number> | undefined {
	const free: readonly string[] = model.freeFields ?? [];
	return free.includes(name) ? undefined : model[ALLOWED_VALUES_KEY[name]];
}

function choiceFields(
	name: ChoiceName,
	displayName: string,
	description: string,
	describe: (value: string | number) => string = String,
): INodeProperties[] {
	return groupBy(ALL_MODELS, (model) => allowedValues(model, name)).map(({ values, modelIds }) => {
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
	const takingFreeText = (field: 'ratio' | 'resolution' | 'duration') =>
		modelIdsWhere((model) => model.freeFields?.includes(field) ?? false);
	return [
		{
			displayName: 'Ratio',
			name: 'ratio',
			type: 'string',
			default: '',
			placeholder: '16:9',
			description:
				'Aspect ratio. The allowed values of this legacy model are not documented; empty sends none.',
			displayOptions: { show: { model: takingFreeText('ratio') } },
		},
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'string',
			default: '',
			placeholder: '2k',
			description: 'The allowed values of this legacy model are not documented; empty sends none',
			displayOptions: { show: { model: takingFreeText('resolution') } },
		},
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			default: 0,
			description: 'Video length in seconds; 0 sends none and lets the model decide',
			displayOptions: { show: { model: takingFreeText('duration') } },
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

/** Ratio, resolution, duration, mode, number of images and fallback, each only for the models that take it. */
export const modelOptionFields: INodeProperties[] = [
	...choiceFields('ratio', 'Ratio', 'Aspect ratio of the result'),
	...choiceFields('resolution', 'Resolution', 'Resolution of the result; higher costs more'),
	...choiceFields('duration', 'Duration', 'Video length; the price grows with it', inSeconds),
	...choiceFields(
		'mode',
		'Mode',
		'How the model uses the input. Automatic lets MaxAPI decide from the number of images.',
		modeName,
	),
	...freeTextFields(),
	...numberOfImagesFields(),
	{
		displayName: 'Fall Back to Seedance 1.5 Pro',
		name: 'fallback',
		type: 'boolean',
		default: false,
		description: 'Whether MaxAPI may finish the task with seedance-1.5-pro when this model fails',
		displayOptions: { show: { model: modelIdsWhere((model) => model.fallback === true) } },
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
