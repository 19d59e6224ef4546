/** Resource Task: its operations, and the panel fields of all of them. */
import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as submit from './submit.operation';
import * as wait from './wait.operation';

export const operations = { submit, get, wait, cancel };

export const taskDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a task',
				description: 'Stop a task that has not finished yet',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a task',
				description: 'Read a task: its status, result URLs and failure reason',
			},
			{
				name: 'Submit',
				value: 'submit',
				action: 'Submit a task',
				description: 'Start generating a video or images with any MaxAPI model',
			},
			{
				name: 'Wait',
				value: 'wait',
				action: 'Wait for a task',
				description:
					'Wait until tasks submitted earlier have finished (one task ID per item), then output them',
			},
		],
		default: 'submit',
	},
	...submit.description,
	...get.description,
	...wait.description,
	...cancel.description,
];
