import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toTaskOutput, type MaxApiTask } from '../../../shared/task';
import { readTask } from './readTask';
import { readTaskId } from './taskId';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const taskId = readTaskId(this, itemIndex);
	const task: MaxApiTask = await readTask(this, taskId, itemIndex);
	return [{ json: toTaskOutput(task) }];
}
