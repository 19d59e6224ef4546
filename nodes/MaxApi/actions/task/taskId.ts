/** The Task ID field of Get, Cancel and Wait, and reading it. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { TASK_ID_PATTERN } from '../../../shared/task';

export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 3f2b8c1e-…',
	description: 'The ID that Submit returned in its taskId field',
};

/** The description of an operation whose only field is the Task ID. */
export const taskIdOnly = (operation: string): INodeProperties[] =>
	updateDisplayOptions({ show: { resource: ['task'], operation: [operation] } }, [taskIdField]);

export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
	if (taskId === '') {
		throw new NodeOperationError(ctx.getNode(), 'Task ID: empty', {
			itemIndex,
			description:
				'Give the ID that Submit returned, e.g. the expression {{ $json.taskId }} after a MaxApi Submit node.',
		});
	}
	if (!TASK_ID_PATTERN.test(taskId)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Task ID: "${taskId.slice(0, 80)}" is not a task ID`,
			{
				itemIndex,
				description:
					'A MaxAPI task ID looks like 3f2b8c1e-9d4a-4c2e-8f1a-2b3c4d5e6f70. Check the expression, e.g. {{ $json.taskId }} after a MaxApi Submit node.',
			},
		);
	}
	return taskId;
}
