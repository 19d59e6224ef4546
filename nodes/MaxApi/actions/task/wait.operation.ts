/**
 * Wait: waits for tasks submitted earlier (by Don't Wait, a run that came out with timedOut: true, or a
 * sheet of task IDs), one per item, and outputs them finished: the same polling, time limit, On Time
 * Limit choices and Download Result Files as Submit's Poll, and the same output.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { isTaskState, type ItemState } from '../../wait/itemState';
import { finishItems } from '../../wait/outcome';
import { pollWithDownloads } from '../../wait/poll';
import { pollFields, readWaitSettings } from '../../wait/settings';
import { readTaskId, taskIdField } from './taskId';

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['wait'] } },
	[taskIdField, ...pollFields],
);

export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const settings = readWaitSettings(this, 'poll');
	const states: ItemState[] = this.getInputData().map((_, itemIndex): ItemState => {
		try {
			return { kind: 'task', itemIndex, taskId: readTaskId(this, itemIndex) };
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			return { kind: 'failed', itemIndex, error: asNodeError(this.getNode(), error, itemIndex) };
		}
	});
	const taskStates = states.filter(isTaskState);
	await pollWithDownloads(this, taskStates, settings);
	return await finishItems(this, states, settings, this.continueOnFail() ? 'item' : 'throw');
}
