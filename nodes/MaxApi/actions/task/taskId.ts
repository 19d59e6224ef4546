/** The Task ID field of Get and Cancel, and reading it. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 3f2b8c1e-…',
	description: 'The ID that Submit returned in its taskId field',
};

export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
	if (taskId === '') {
		throw new NodeOperationError(ctx.getNode(), 'Task ID: empty', {
			itemIndex,
			description:
				'Give the ID that Submit returned, e.g. the expression {{ $json.taskId }} after a MaxApi Submit node.',
		});
	}
	return taskId;
}
