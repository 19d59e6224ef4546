import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { isTerminalStatus, normaliseStatus } from '../../../shared/task';
import { apiRequest } from '../../../shared/transport';
import { readTask } from './readTask';
import { readTaskId } from './taskId';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const taskId = readTaskId(this, itemIndex);
	try {
		await apiRequest(this, {
			method: 'POST',
			path: `/api/v1/task/${encodeURIComponent(taskId)}/cancel`,
			retry: 'read',
			itemIndex,
			taskId,
			operation: 'cancel',
		});
	} catch (error) {
		if (!(error instanceof NodeApiError) || error.httpCode !== '400') {
			throw asNodeError(this.getNode(), error, itemIndex);
		}
		// MaxAPI's refusal text is not documented; the task's status tells the user what happened.
		const status = normaliseStatus((await readTask(this, taskId, itemIndex)).status);
		if (status === 'CANCELLED') return [{ json: { taskId, cancelled: true, status } }];
		throw new NodeOperationError(
			this.getNode(),
			isTerminalStatus(status)
				? `Task ${taskId} can no longer be cancelled: it has already ended with status ${status}`
				: `Task ${taskId} can no longer be cancelled: MaxAPI refused while the task is ${status} (it may cancel only tasks that have not started)`,
			{ itemIndex, description: `MaxAPI said: ${error.message}` },
		);
	}
	return [{ json: { taskId, cancelled: true, status: 'CANCELLED' } }];
}
