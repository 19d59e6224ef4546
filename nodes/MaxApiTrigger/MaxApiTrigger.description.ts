import type { INodeProperties } from 'n8n-workflow';

import { ALL_MODELS } from '../shared/models/catalogue';
import { FINAL_STATUSES } from '../shared/task';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Use this node's Production URL (above), with <code>?secret=</code> and your secret added, as the Callback URL of a MaxApi Submit: <code>https://your-n8n/webhook/…/callback?secret=…</code>. MaxAPI calls it when a task ends. MaxAPI refuses localhost URLs, so n8n must be reachable from the internet: set n8n's WEBHOOK_URL to its public address.",
		name: 'usageNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'a long random string',
		description:
			'MaxAPI does not sign its callbacks, so the URL carries this secret: a call without it (in ?secret=) starts nothing and gets 403. Use at least 16 random characters.',
	},
	{
		displayName: 'Confirm With the API',
		name: 'confirmWithApi',
		type: 'boolean',
		default: true,
		description:
			"Whether to read the task from MaxAPI with this node's credential and pass on the API's version of it, not the caller's. A task the API does not know, or does not show as finished, starts nothing.",
	},
	{
		displayName: 'Outcomes',
		name: 'outcomes',
		type: 'multiOptions',
		options: FINAL_STATUSES.map((status) => ({
			name: status.charAt(0) + status.slice(1).toLowerCase(),
			value: status,
		})).sort((a, b) => a.name.localeCompare(b.name)),
		default: [...FINAL_STATUSES],
		description: 'Which task outcomes start the workflow',
	},
	{
		displayName: 'Models',
		name: 'models',
		type: 'multiOptions',
		options: ALL_MODELS.map((model) => ({ name: model.name, value: model.id })).sort((a, b) =>
			a.name.localeCompare(b.name),
		),
		default: [],
		description: 'Start the workflow only for tasks of these models. None selected: every model.',
	},
	{
		displayName: 'Download Result Files',
		name: 'downloadResults',
		type: 'boolean',
		default: false,
		description:
			"Whether to add a successful task's files as binary data (data, data_1, …). MaxAPI gets its answer first; the download happens after.",
	},
];
