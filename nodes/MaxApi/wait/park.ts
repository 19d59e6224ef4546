/**
 * Callback (Resume): every task is submitted with the execution's resume URL as its callback, the
 * execution is parked here (no worker held while tasks run for hours), and each callback is checked
 * against the API (resumeWebhook.ts). The execution resumes once, when every task has finished.
 *
 * n8n's rules this is built on (n8n-core 2.41): a parked node is not run again when it resumes; its
 * webhook() output becomes the node's output. On the time limit n8n resumes it without a callback and
 * passes on the data the node was parked with, so the node parks with items that describe the unfinished
 * tasks. Callbacks reach webhook() only with the execution's resume token; one arriving before the
 * execution is parked is refused by n8n (409), which is why tasks are looked at once more just before
 * parking, and why callbacks also read tasks that have not called back (parkedTasks.ts).
 */
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { readTask } from '../../shared/api';
import { MAX_API_IN_FLIGHT } from '../../shared/budget';
import { forEachConcurrently } from '../../shared/concurrency';
import { errorItem } from '../../shared/errors';
import { isTerminalStatus, toTaskOutput } from '../../shared/task';
import { isTaskState, type ItemState, type TaskState } from './itemState';
import { finishItems } from './outcome';
import { ParkedTasks, type ReadTasks } from './parkedTasks';
import type { WaitSettings } from './settings';

// On an item the time limit let through: its callback did not come (n8n was down when MaxAPI called, or
// MaxAPI gave up), though the task may well have finished. One string for all items: n8n stores it once.
const TIMED_OUT_MESSAGE =
	'Not finished when the time limit passed, as last seen before the execution was parked. A MaxApi Wait operation (Task ID: {{ $json.taskId }}) after this node waits for it and outputs it finished.';

/**
 * Reads tasks for a check, side by side within the run's budget (n8n gives each callback its own), and
 * keeps each answer as its item's latest read.
 */
export function readerFor(
	ctx: IExecuteFunctions | IWebhookFunctions,
	states: TaskState[],
): ReadTasks {
	const stateOf = new Map(states.map((state) => [state.taskId, state]));
	return async (taskIds, onRead) => {
		await forEachConcurrently(taskIds, MAX_API_IN_FLIGHT, async (taskId) => {
			const state = stateOf.get(taskId)!;
			state.task = await readTask(ctx, taskId, state.itemIndex);
			onRead(state.task);
		});
	};
}

export const isFinished = (state: TaskState) =>
	state.task !== undefined && isTerminalStatus(String(state.task.status));

/**
 * In execute(): finish at once if every task is already done, otherwise park the execution. The last
 * look before parking reads a batch that one round of the budget covers whole, so the parked items say
 * exactly which tasks have finished (what n8n passes on at the time limit); a bigger batch in rounds of
 * 1, 2, 4… up to the first task still running: that finds a batch that has ended (its callbacks came
 * while n8n refused them) and costs one read otherwise. A task that ended before parking without being
 * read is found by a later callback's probes.
 */
export async function parkUntilCallbacks(
	ctx: IExecuteFunctions,
	states: ItemState[],
	settings: WaitSettings,
): Promise<INodeExecutionData[]> {
	const taskStates = states.filter(isTaskState);
	const lastLook = new ParkedTasks(
		taskStates.map((state) => state.taskId),
		taskStates.filter(isFinished).map((state) => state.task!),
	);
	const ended = await lastLook.check(readerFor(ctx, taskStates), {
		probes: taskStates.length <= MAX_API_IN_FLIGHT ? taskStates.length : 1,
	});
	if (ended) {
		return await finishItems(ctx, states, settings, ctx.continueOnFail() ? 'item' : 'throw');
	}

	// What n8n passes on if the time limit passes first: the tasks as they were, unfinished ones marked.
	// n8n loads the whole parked execution for each callback, so it is kept small: the full task only for
	// those that have finished (the resume outputs them as they are), the others in brief.
	const asParked = states.map((state): INodeExecutionData => {
		const reference = state.reference !== undefined ? { reference: state.reference } : {};
		if (state.kind === 'settled') return state.item;
		if (state.kind === 'failed')
			return errorItem(ctx.getNode(), state.error, state.itemIndex, reference);
		const { taskId, status, finished } = toTaskOutput(state.task ?? { taskId: state.taskId });
		const json = finished
			? toTaskOutput(state.task!)
			: { taskId, status, finished, successful: false, timedOut: true, message: TIMED_OUT_MESSAGE };
		return { json: { ...json, ...reference }, pairedItem: { item: state.itemIndex } };
	});
	ctx.getExecuteData().data = { main: [asParked] };
	await ctx.putExecutionToWait(new Date(Date.now() + settings.timeLimitMinutes * 60_000));
	// Shown while the execution waits and dropped by n8n when it resumes: one item naming the tasks (its
	// task IDs are the strings above, which n8n stores once).
	return [
		{
			json: {
				waitingForCallback: true,
				tasks: taskStates.length,
				finished: taskStates.filter(isFinished).length,
				taskIds: taskStates.map((state) => state.taskId),
			},
			pairedItem: states.map((state) => ({ item: state.itemIndex })),
		},
	];
}
