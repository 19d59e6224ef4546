/**
 * Callback (resume): every task is submitted with the execution's resume URL as its callback, the
 * execution is parked (no worker held while tasks run for hours), and each callback is checked against
 * the API. The execution resumes once, when every task has finished.
 *
 * n8n's rules this is built on (n8n-core 2.41): a parked node is not run again when it resumes; its
 * webhook() output becomes the node's output. On the time limit n8n resumes it without a callback and
 * passes on the data the node was parked with, so the node parks with items that describe the unfinished
 * tasks. Callbacks reach webhook() only with the execution's resume token; one arriving before the
 * execution is parked is refused by n8n (409), which is why tasks are looked at once more just before
 * parking, and why callbacks also read tasks that have not called back (parkedTasks.ts).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forEachConcurrently } from '../../shared/concurrency';
import { asNodeError, errorItem } from '../../shared/errors';
import { isTerminalStatus, toTaskOutput, type MaxApiTask } from '../../shared/task';
import { readTask } from '../../shared/api';
import { MAX_API_IN_FLIGHT } from '../../shared/budget';
import { isLocalUrl } from '../../shared/urls';
import { finishItems, type ItemState } from './outcome';
import { forgetParked, parkOf, resumedHere } from './parkedExecutions';
import { ParkedTasks, type ReadTasks } from './parkedTasks';
import type { WaitSettings } from './settings';

type TaskState = Extract<ItemState, { kind: 'task' }>;

/**
 * The most tasks one parked execution waits for. n8n loads the whole execution (and starts an expression
 * isolate) for every callback, so a callback costs it more the bigger the batch, and callbacks that come
 * faster than it can take them pile up until it stops answering. Measured in n8n 2.41 (one process, 2
 * cores, tasks of 10–30 s): 500 items resume in 1.1 × the slowest task; 1000 items swamp it.
 */
export const MAX_PARKED_TASKS = 500;
// The chunk to advise for more: in a loop each chunk's execution also holds the chunks before it, so
// every callback costs n8n more than in one batch of the same size.
const ADVISED_CHUNK = 250;

/** Refuses, before anything is sent, a batch too big for one parked execution. */
export function checkParkable(ctx: IExecuteFunctions, itemCount: number): void {
	if (itemCount <= MAX_PARKED_TASKS) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`Wait for Completion: Callback (Resume) waits for at most ${MAX_PARKED_TASKS} items in one execution, and this run has ${itemCount}`,
		{
			description: `n8n loads the whole parked execution for every callback, so a bigger batch can swamp n8n when its tasks finish close together. Put a Loop Over Items node with a Batch Size of ${ADVISED_CHUNK} in front of this node (and this node's output back into it), or choose Poll. Nothing was sent to MaxAPI.`,
		},
	);
}

// On an item the time limit let through: its callback did not come (n8n was down when MaxAPI called, or
// MaxAPI gave up), though the task may well have finished. One string for all items: n8n stores it once.
const TIMED_OUT_MESSAGE =
	'Not finished when the time limit passed, as last seen before the execution was parked. A MaxApi Wait operation (Task ID: {{ $json.taskId }}) after this node waits for it and outputs it finished.';

/** The URL MaxAPI calls back: this execution's resume URL, which carries n8n's resume token. */
export function resumeUrlFor(ctx: IExecuteFunctions, apiIsLocal: boolean): string {
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	if (!apiIsLocal && isLocalUrl(resumeUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Wait for Completion: n8n's webhook address here is ${new URL(resumeUrl).origin}, which MaxAPI cannot call back`,
			{
				description:
					'MaxAPI refuses localhost callback URLs. Set the WEBHOOK_URL environment variable of n8n to its public address (e.g. https://n8n.example.com/, or a tunnel such as ngrok while testing) and restart n8n, or choose Poll. Nothing was sent to MaxAPI.',
			},
		);
	}
	return resumeUrl;
}

/**
 * Reads tasks for a check, side by side within the run's budget (n8n gives each callback its own), and
 * keeps each answer as its item's latest read.
 */
function readerFor(ctx: IExecuteFunctions | IWebhookFunctions, states: TaskState[]): ReadTasks {
	const stateOf = new Map(states.map((state) => [state.taskId, state]));
	return async (taskIds, onRead) => {
		await forEachConcurrently(taskIds, MAX_API_IN_FLIGHT, async (taskId) => {
			const state = stateOf.get(taskId)!;
			state.task = await readTask(ctx, taskId, state.itemIndex);
			onRead(state.task);
		});
	};
}

const isFinished = (state: TaskState) =>
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
	const taskStates = states.filter((state): state is TaskState => state.kind === 'task');
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
		if (state.kind === 'settled') return state.item;
		if (state.kind === 'failed') return errorItem(ctx.getNode(), state.error, state.itemIndex);
		const { taskId, status, finished } = toTaskOutput(state.task ?? { taskId: state.taskId });
		const json = finished
			? toTaskOutput(state.task!)
			: { taskId, status, finished, successful: false, timedOut: true, message: TIMED_OUT_MESSAGE };
		return { json, pairedItem: { item: state.itemIndex } };
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

function reply(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * webhook(): one callback. Resumes the execution only when the API says every task has finished (see
 * parkedTasks.ts); every other callback is answered as soon as it is known to bring nothing to decide.
 */
export async function onCallback(
	ctx: IWebhookFunctions,
	settings: WaitSettings,
): Promise<IWebhookResponseData> {
	const body = ctx.getBodyData() as { data?: MaxApiTask };
	const calledFor = body?.data?.taskId;
	if (typeof calledFor !== 'string' || calledFor === '') {
		return reply(ctx, 400, {
			received: false,
			error:
				'Not a MaxAPI task callback: expected a JSON body {code, msg, data: {taskId, status, …}}',
		});
	}

	const executionId = ctx.getExecutionId();
	const park = parkOf(ctx, executionId, calledFor);
	if (resumedHere.has(park.key)) {
		return { webhookResponse: { received: true, resumed: false, reason: ALREADY_RESUMING } };
	}
	const { states, tasks: parked } = park;
	const taskStates = states.filter((state): state is TaskState => state.kind === 'task');
	if (!taskStates.some((state) => state.taskId === calledFor)) {
		return reply(ctx, 404, {
			received: false,
			error: `Task ${calledFor} is not one this execution waits for`,
		});
	}

	if (parked.noteCallback(calledFor) === 'noted') {
		return { webhookResponse: { received: true, resumed: false } };
	}
	// This callback reads for the execution; once its own round is read it is answered, and it goes on
	// reading for the callbacks that come meanwhile.
	let answered = false;
	const answerEarly = () => {
		reply(ctx, 200, { received: true, resumed: false });
		answered = true;
	};
	let everyTaskFinished: boolean;
	try {
		everyTaskFinished = await parked.check(readerFor(ctx, taskStates), {
			afterFirstRound: answerEarly,
		});
	} catch (error) {
		if (answered) return { noWebhookResponse: true };
		const reason = asNodeError(ctx.getNode(), error).message;
		return reply(ctx, 503, {
			received: false,
			error: `Could not confirm the tasks with MaxAPI (${reason}); call again later`,
		});
	}
	const answer = (body: IDataObject) =>
		answered ? { noWebhookResponse: true } : { webhookResponse: body };
	if (!everyTaskFinished || resumedHere.has(park.key)) {
		return answer({ received: true, resumed: false });
	}
	resumedHere.remember(park.key);
	forgetParked(executionId);

	for (const state of taskStates) state.task = parked.finished.get(state.taskId);
	// Items with an error go to the error output if the node has one: n8n moves them (see errorItem).
	const workflowData = [await finishItems(ctx, states, settings, 'item')];
	return { ...answer({ received: true, resumed: true }), workflowData };
}

const ALREADY_RESUMING = 'the execution is already resuming';
