/** Cancel: cancels one task per item; when MaxAPI refuses, the task's status says why. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cancelTask, readTask } from '../../../shared/api';
import { asNodeError } from '../../../shared/errors';
import { CANCELLED_STATUS, isTerminalStatus, normaliseStatus } from '../../../shared/task';
import { readTaskId, taskIdOnly } from './taskId';

export const description = taskIdOnly('cancel');

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const taskId = readTaskId(this, itemIndex);
	try {
		await cancelTask(this, taskId, itemIndex);
	} catch (error) {
		if (!(error instanceof NodeApiError) || error.httpCode !== '400') {
			throw asNodeError(this.getNode(), error, itemIndex);
		}
		// MaxAPI's refusal text is not documented; the task's status tells the user what happened.
		const status = normaliseStatus((await readTask(this, taskId, itemIndex)).status);
		if (status === CANCELLED_STATUS) return [{ json: { taskId, cancelled: true, status } }];
		throw new NodeOperationError(
			this.getNode(),
			isTerminalStatus(status)
				? `Task ${taskId} can no longer be cancelled: it has already ended with status ${status}`
				: `Task ${taskId} can no longer be cancelled: MaxAPI refused while the task is ${status} (it may cancel only tasks that have not started)`,
			{ itemIndex, description: `MaxAPI said: ${error.message}` },
		);
	}
	return [{ json: { taskId, cancelled: true, status: CANCELLED_STATUS } }];
}
