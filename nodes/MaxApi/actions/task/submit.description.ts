/**
 * The Submit fields. Model-specific fields are generated from the catalogue: one field per distinct set of
 * allowed values, shown only for the models that accept exactly those values.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { FAMILIES, type ModelSpec } from '../../models/catalogue';
import { mediaFieldLabel } from '../../models/validate';

const onSubmit = { resource: ['task'], operation: ['submit'] };

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
	return FAMILIES.flatMap((family) => family.models).filter(predicate);
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

const ALL_MODELS = modelsWith(() => true);

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
			displayOptions: { show: { ...onSubmit, model: modelIds } },
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
			description: 'Aspect ratio. The allowed values of this legacy model are not documented; empty sends none.',
			displayOptions: { show: { ...onSubmit, model: freeRatio.map((model) => model.id) } },
		},
		{
			displayName: 'Resolution',
			name: 'resolution',
			type: 'string',
			default: '',
			placeholder: '2k',
			description: 'The allowed values of this legacy model are not documented; empty sends none',
			displayOptions: { show: { ...onSubmit, model: freeResolution.map((model) => model.id) } },
		},
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			default: 0,
			description: 'Video length in seconds; 0 sends none and lets the model decide',
			displayOptions: { show: { ...onSubmit, model: freeDuration.map((model) => model.id) } },
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
		displayOptions: { show: { ...onSubmit, model: modelIds } },
	}));
}

const modelFields: INodeProperties[] = FAMILIES.map((family) => {
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
	displayOptions: { show: { ...onSubmit, family: [family.id] } },
	};
});

const textOnlyModelIds = modelsWith((model) => model.maxMedia === 0).map((model) => model.id);

const mediaFields: INodeProperties[] = FAMILIES.map((family) => ({
	displayName: mediaFieldLabel(family),
	name: 'mediaUrls',
	type: 'string',
	default: '',
	placeholder: 'https://example.com/first.png, https://example.com/last.png',
	description:
		family.id === 'seedance'
			? 'Public URLs of reference images, videos (mp4, mov) or audio (mp3, wav), separated by commas or new lines, or an expression giving a list. Order matters: the prompt refers to them as @1, @2… None: text-to-video; 1 image: first frame; 2: first and last frame; more: references.'
			: family.id === 'veo' || family.id === 'jimengVideo'
				? 'Public image URLs, separated by commas or new lines, or an expression giving a list. None: text-to-video; 1: first frame; 2: first and last frame; 3: reference images.'
				: 'Public image URLs, separated by commas or new lines, or an expression giving a list. Any image makes it an image-to-image request.',
	displayOptions: { show: { ...onSubmit, family: [family.id] }, hide: { model: textOnlyModelIds } },
}));

export const submitFields: INodeProperties[] = [
	{
		displayName: 'Model Family',
		name: 'family',
		type: 'options',
		noDataExpression: true,
		options: FAMILIES.map((family) => ({ name: family.name, value: family.id })),
		default: 'seedance',
		displayOptions: { show: onSubmit },
	},
	...modelFields,
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'A red fox runs through fresh snow at dawn, cinematic',
		description: 'What to generate. Refer to reference media by position: @1, @2 (also @image1 or @图1).',
		displayOptions: { show: onSubmit },
	},
	...mediaFields,
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
			show: { ...onSubmit, model: modelsWith((model) => model.fallback === true).map((model) => model.id) },
		},
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: "Don't Wait",
				value: 'none',
				description: 'Output the task ID at once; read the task later with Get, or receive it with MaxApi Trigger',
			},
			{
				name: 'Poll',
				value: 'poll',
				description:
					'Check all tasks at once until each has finished, then output them. The execution keeps running meanwhile.',
			},
			{
				name: 'Callback (Resume)',
				value: 'callback',
				description:
					"Park the execution and resume it when MaxAPI's callbacks say every task has finished. Nothing runs while waiting; needs n8n reachable from the internet.",
			},
		],
		default: 'poll',
		displayOptions: { show: onSubmit },
	},
	{
		displayName: 'Time Limit (Minutes)',
		name: 'timeLimitMinutes',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1 },
		description:
			'How long to wait for all tasks. Seedance can take up to 4 hours (240 minutes); images take seconds to a minute.',
		displayOptions: { show: { ...onSubmit, waitForCompletion: ['poll', 'callback'] } },
	},
	{
		displayName: 'On Time Limit',
		name: 'onTimeLimit',
		type: 'options',
		options: [
			{
				name: 'Stop With an Error',
				value: 'error',
				description: 'A task still running at the time limit fails its item',
			},
			{
				name: 'Output the Unfinished Task',
				value: 'output',
				description:
					'A task still running at the time limit comes out with its status, timedOut: true and its ID, to read later with Get',
			},
		],
		default: 'error',
		displayOptions: { show: { ...onSubmit, waitForCompletion: ['poll'] } },
	},
	{
		displayName:
			'If the time limit passes before every callback has come, n8n continues with each task as it was when the execution was parked (unfinished ones with timedOut: true). Read those with Get.',
		name: 'callbackTimeLimitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...onSubmit, waitForCompletion: ['callback'] } },
	},
	{
		displayName: 'Poll First (Seconds)',
		name: 'pollFirstSeconds',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0 },
		description:
			'How long to check the tasks before parking the execution. Tasks that end within this time need no callback: n8n refuses callbacks that arrive before the execution is parked. 0 parks at once.',
		displayOptions: { show: { ...onSubmit, waitForCompletion: ['callback'] } },
	},
	{
		displayName: 'Download Result Files',
		name: 'downloadResults',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the result files (video or images) as binary data: data, data_1, … in the order of the result URLs',
		displayOptions: { show: { ...onSubmit, waitForCompletion: ['poll', 'callback'] } },
	},
	{
		displayName: 'Max Poll Interval (Seconds)',
		name: 'maxPollIntervalSeconds',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1 },
		description:
			'Longest pause between two reads of a task. Reads start every second and space out as a task ages.',
		displayOptions: { show: { ...onSubmit, waitForCompletion: ['poll'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: onSubmit },
		options: [
			{
				displayName: 'Additional Input (JSON)',
				name: 'additionalInput',
				type: 'json',
				default: '{}',
				description:
					'More fields for MaxAPI\'s "input" object, merged over the fields above, e.g. {"ratio": "21:9"} for a value this node does not list yet',
			},
			{
				displayName: 'Callback URL',
				name: 'callBackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://your-n8n.example.com/webhook/…',
				description:
					'MaxAPI POSTs the finished task here (success or failure), e.g. the URL of a MaxApi Trigger. MaxAPI refuses localhost URLs.',
			},
			{
				displayName: 'Check Input Against Model Limits',
				name: 'checkModelLimits',
				type: 'boolean',
				default: true,
				description:
					'Whether to check media count, @N references, ratio, resolution, duration, mode and number of images against the model\'s documented limits before submitting. Turn off to send the input as it is, e.g. for limits newer than this node.',
			},
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				description: 'Your own ID for the end user, sent as user_id for tracing',
			},
		],
	},
];
