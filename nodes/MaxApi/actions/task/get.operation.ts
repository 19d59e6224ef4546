/** Get: reads one task per item and outputs it in the one task shape. A failed task is data, not an error. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readTask } from '../../../shared/api';
import { toTaskOutput } from '../../../shared/task';
import { readTaskId, taskIdOnly } from './taskId';

export const description = taskIdOnly('get');

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const task = await readTask(this, readTaskId(this, itemIndex), itemIndex);
	return [{ json: toTaskOutput(task) }];
}
