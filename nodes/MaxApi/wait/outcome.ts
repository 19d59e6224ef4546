/**
 * What each input item becomes once waiting is over: the finished task (and its files), or an error
 * naming the task, its status and reason, or the unfinished task when the time limit passed.
 */
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadResultFiles } from '../../shared/binary';
import { asNodeError, errorItem } from '../../shared/errors';
import {
	isTerminalStatus,
	normaliseStatus,
	toTaskOutput,
	type MaxApiTask,
} from '../../shared/task';
import type { ItemError, ItemState, TaskState } from './itemState';
import type { WaitSettings } from './settings';

export type OnItemError = 'throw' | 'item';

/**
 * Starts downloading a successful task's files, once, if the user wants them: within the run's budget,
 * while the other tasks still run. The promise never rejects; a failed download is kept as its error.
 */
export function fetchFiles(
	ctx: IExecuteFunctions | IWebhookFunctions,
	state: TaskState,
	settings: WaitSettings,
): void {
	const output = state.task ? toTaskOutput(state.task) : undefined;
	if (!settings.downloadResults || state.files || !output?.successful) return;
	state.files = downloadResultFiles(ctx, state.taskId, output.resultUrls, state.itemIndex).then(
		(binary) => ({ binary }),
		(error) => ({ error: asNodeError(ctx.getNode(), error, state.itemIndex) }),
	);
}

function unsuccessfulTaskError(
	ctx: IExecuteFunctions | IWebhookFunctions,
	task: MaxApiTask,
	itemIndex: number,
) {
	const output = toTaskOutput(task);
	return new NodeOperationError(
		ctx.getNode(),
		`Task ${output.taskId} ended with status ${output.status}${output.failureReason ? `: ${output.failureReason}` : ''}`,
		{ itemIndex, description: output.failureAdvice ?? undefined },
	);
}

function unfinishedTaskError(
	ctx: IExecuteFunctions | IWebhookFunctions,
	taskId: string,
	task: MaxApiTask | undefined,
	settings: WaitSettings,
	itemIndex: number,
) {
	const status = task ? normaliseStatus(task.status) : 'unknown';
	return new NodeOperationError(
		ctx.getNode(),
		`Task ${taskId} did not finish within the time limit of ${settings.timeLimitMinutes} minutes (last status: ${status})`,
		{
			itemIndex,
			description:
				'It keeps running at MaxAPI. Read it later with the Get operation, raise the Time Limit, or set On Time Limit to "Output the Unfinished Task" to continue with its ID.',
		},
	);
}

export async function finishItems(
	ctx: IExecuteFunctions | IWebhookFunctions,
	states: ItemState[],
	settings: WaitSettings,
	onItemError: OnItemError,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	// Every download starts now (those not already under way), in parallel within the run's budget.
	for (const state of states) if (state.kind === 'task') fetchFiles(ctx, state, settings);
	for (const state of states) {
		const { itemIndex } = state;
		// The caller's Reference goes on every item, the error items too.
		const reference = state.reference !== undefined ? { reference: state.reference } : {};
		const fail = (error: ItemError, task?: MaxApiTask) => {
			if (onItemError === 'throw') throw error;
			const json = { ...(task ? toTaskOutput(task) : {}), ...reference };
			output.push(errorItem(ctx.getNode(), error, itemIndex, json));
		};
		if (state.kind === 'failed') {
			fail(state.error);
			continue;
		}
		if (state.kind === 'settled') {
			output.push(state.item);
			continue;
		}
		const { task, taskId } = state;
		if (!task || !isTerminalStatus(String(task.status))) {
			if (state.readError) {
				fail(state.readError, task);
			} else if (settings.onTimeLimit === 'output') {
				output.push({
					json: { ...toTaskOutput(task ?? { taskId }), timedOut: true, ...reference },
					pairedItem: { item: itemIndex },
				});
			} else {
				fail(unfinishedTaskError(ctx, taskId, task, settings, itemIndex), task);
			}
			continue;
		}
		const json = { ...toTaskOutput(task), ...reference };
		if (!json.successful) {
			fail(unsuccessfulTaskError(ctx, task, itemIndex), task);
			continue;
		}
		const files = state.files ? await state.files : undefined;
		if (files && 'error' in files) {
			fail(files.error, task);
			continue;
		}
		const binary = files?.binary;
		output.push({ json, ...(binary ? { binary } : {}), pairedItem: { item: itemIndex } });
	}
	return output;
}
