/** How Submit waits: the panel fields, and the settings read from them. */
import type { IExecuteFunctions, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

export type WaitMode = 'none' | 'poll' | 'callback';

export interface WaitSettings {
	mode: WaitMode;
	timeLimitMinutes: number;
	/** Poll: what a task still running at the time limit becomes. */
	onTimeLimit: 'error' | 'output';
	downloadResults: boolean;
	maxPollIntervalMs: number;
	/** Callback: how long to poll before parking, so tasks that end quickly need no callback. */
	pollFirstMs: number;
}

/** Wait for Completion's default, for the field and for reading it. */
const DEFAULT_WAIT_MODE: WaitMode = 'poll';
export const DEFAULT_TIME_LIMIT_MINUTES = 60;
export const DEFAULT_MAX_POLL_INTERVAL_SECONDS = 60;
export const DEFAULT_POLL_FIRST_SECONDS = 10;

/** The wait settings apply to the whole run, so they are read once, for the first item. */
export function readWaitSettings(
	ctx: IExecuteFunctions | IWebhookFunctions,
	/** The Wait operation always polls; it has no Wait for Completion field. */
	waitMode?: WaitMode,
): WaitSettings {
	const get = (name: string, fallback: unknown) =>
		'getInputData' in ctx
			? ctx.getNodeParameter(name, 0, fallback)
			: ctx.getNodeParameter(name, fallback);
	const mode = waitMode ?? (get('waitForCompletion', DEFAULT_WAIT_MODE) as WaitMode);
	return {
		mode,
		timeLimitMinutes: Math.max(
			Number(get('timeLimitMinutes', DEFAULT_TIME_LIMIT_MINUTES)) || DEFAULT_TIME_LIMIT_MINUTES,
			0.05,
		),
		onTimeLimit: get('onTimeLimit', 'error') === 'output' ? 'output' : 'error',
		downloadResults: mode !== 'none' && get('downloadResults', false) === true,
		maxPollIntervalMs:
			1000 *
			Math.max(
				Number(get('maxPollIntervalSeconds', DEFAULT_MAX_POLL_INTERVAL_SECONDS)) ||
					DEFAULT_MAX_POLL_INTERVAL_SECONDS,
				1,
			),
		pollFirstMs:
			1000 * Math.max(Number(get('pollFirstSeconds', DEFAULT_POLL_FIRST_SECONDS)) || 0, 0),
	};
}

/** A number field the panel keeps at or above minValue. */
const numberField = (
	displayName: string,
	name: string,
	defaultValue: number,
	minValue: number,
): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	default: defaultValue,
	typeOptions: { minValue },
});

/** The fields of a poll-based wait, as Submit shows them for Poll and the Wait operation shows them. */
const timeLimitField: INodeProperties = {
	...numberField('Time Limit (Minutes)', 'timeLimitMinutes', DEFAULT_TIME_LIMIT_MINUTES, 1),
	description:
		'How long to wait for all tasks. Seedance can take up to 4 hours (240 minutes); images take seconds to a minute.',
};

const onTimeLimitField: INodeProperties = {
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
};

const downloadResultsField: INodeProperties = {
	displayName: 'Download Result Files',
	name: 'downloadResults',
	type: 'boolean',
	default: false,
	description:
		'Whether to add the result files (video or images) as binary data: data, data_1, … in the order of the result URLs',
};

const maxPollIntervalField: INodeProperties = {
	...numberField(
		'Max Poll Interval (Seconds)',
		'maxPollIntervalSeconds',
		DEFAULT_MAX_POLL_INTERVAL_SECONDS,
		1,
	),
	description:
		'Longest pause between two reads of a task. Reads start every second and space out as a task ages.',
};

/** Time Limit, On Time Limit, Download Result Files and Max Poll Interval, for the Wait operation. */
export const pollFields: INodeProperties[] = [
	timeLimitField,
	onTimeLimitField,
	downloadResultsField,
	maxPollIntervalField,
];

const whenWaiting = (field: INodeProperties, modes: WaitMode[]): INodeProperties => ({
	...field,
	displayOptions: { show: { waitForCompletion: modes } },
});

/** Submit's Wait for Completion and the settings of each way to wait. */
export const waitFields: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: "Don't Wait",
				value: 'none',
				description:
					'Output the task ID at once; read the task later with Get, or receive it with MaxApi Trigger',
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
					"Park the execution and resume it when MaxAPI's callbacks say every task has finished. Nothing runs while waiting; needs n8n reachable from the internet. Up to 500 items per run.",
			},
		],
		default: DEFAULT_WAIT_MODE,
	},
	whenWaiting(timeLimitField, ['poll', 'callback']),
	whenWaiting(onTimeLimitField, ['poll']),
	{
		displayName:
			'If the time limit passes before every callback has come, n8n continues with each task as it was when the execution was parked (unfinished ones with timedOut: true). A MaxApi Wait operation after this node (Task ID: {{ $json.taskId }}) picks those up.',
		name: 'callbackTimeLimitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitForCompletion: ['callback'] } },
	},
	{
		...numberField('Poll First (Seconds)', 'pollFirstSeconds', DEFAULT_POLL_FIRST_SECONDS, 0),
		description:
			'How long to check the tasks before parking the execution, for batches of up to 128 items (a bigger batch parks as soon as it is submitted). Tasks that end within this time need no callback: n8n refuses callbacks that arrive before the execution is parked. 0 parks at once.',
		displayOptions: { show: { waitForCompletion: ['callback'] } },
	},
	whenWaiting(downloadResultsField, ['poll', 'callback']),
	whenWaiting(maxPollIntervalField, ['poll']),
];
