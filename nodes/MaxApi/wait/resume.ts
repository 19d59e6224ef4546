/**
 * Callback (resume): every task is submitted with the execution's resume URL as its callback, the
 * execution is parked (no worker held while tasks run for hours), and each callback is checked against
 * the API. The execution resumes once, when every task has finished.
 *
 * n8n's rules this is built on (n8n-core 2.41): a parked node is not run again when it resumes; its
 * webhook() output becomes the node's output. On the time limit n8n resumes it without a callback and
 * passes on the data the node was parked with, so the node parks with items that describe the unfinished
 * tasks. Callbacks reach webhook() only with the execution's resume token; one arriving before the
 * execution is parked is refused by n8n (409), which is why tasks are read once more just before parking.
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
import { asNodeError } from '../../shared/errors';
import { isTerminalStatus, toTaskOutput, type MaxApiTask } from '../../shared/task';
import { readTask } from '../../shared/api';
import { MAX_API_IN_FLIGHT } from '../../shared/budget';
import { isLocalUrl } from '../../shared/urls';
import { finishItems, type ItemState } from './outcome';
import {
	forgetParked,
	knowledgeOf,
	parkedStatesOf,
	resumedHere,
	type TaskKnowledge,
} from './parkedExecutions';
import type { WaitSettings } from './settings';

type TaskState = Extract<ItemState, { kind: 'task' }>;

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

async function readAll(
	ctx: IExecuteFunctions | IWebhookFunctions,
	states: TaskState[],
): Promise<void> {
	await forEachConcurrently(states, MAX_API_IN_FLIGHT, async (state) => {
		state.task = await readTask(ctx, state.taskId, state.itemIndex);
	});
}

const isFinished = (state: TaskState) =>
	state.task !== undefined && isTerminalStatus(String(state.task.status));

/**
 * Whether every task has finished, as the API says (a callback's own claims are not trusted). n8n runs
 * callbacks side by side (in queue mode, on any webhook process), so a decision rests only on reads and
 * on what never changes (a finished task stays finished); what one process remembers saves reads of
 * tasks it saw finish, and says nothing of callbacks that went to another process:
 * - A callback about a task that had finished when the execution parked (every process knows those from
 *   the parked items; MaxAPI calls again after n8n refused it while the execution was still running)
 *   brings nothing new: answered at once, unless it is the last one needed.
 * - Otherwise the callback's task and one other task not known to have finished are read together; if
 *   both have finished, the others are read in rounds of 2, 4, 8… until one is running. A task found
 *   running calls back when it ends, and that callback decides again; so the callback of the task that
 *   ends last reads the rest and resumes.
 * Tasks whose callbacks have not come are the likely runners and are read first, in random order; those
 * whose callbacks came (most likely finished) last, all at once. Each callback learns its own task, so the
 * last one has little left to read: a batch of N costs about 2·N reads when its callbacks reach one
 * process, and a resume is decided within a round trip or two of the last callback.
 */
export async function everyTaskFinished(
	ctx: IWebhookFunctions,
	states: TaskState[],
	calledFor: string,
	known: TaskKnowledge,
): Promise<boolean> {
	const own = states.find((state) => state.taskId === calledFor)!;
	const finishedWhenParked = isFinished(own);
	for (const state of states) {
		const finished = known.finished.get(state.taskId);
		if (finished) state.task = finished;
	}
	known.calledBack.add(calledFor);
	const others = states.filter((state) => state !== own && !isFinished(state));
	if (finishedWhenParked && others.length > 0) return false;
	const silent = others.filter((state) => !known.calledBack.has(state.taskId));
	for (let i = silent.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[silent[i], silent[j]] = [silent[j], silent[i]];
	}
	const calledBack = others.filter((state) => known.calledBack.has(state.taskId));
	const queue = [...(isFinished(own) ? [] : [own]), ...silent];
	const read = async (batch: TaskState[]) => {
		await forEachConcurrently(batch, batch.length, async (state) => {
			state.task = await readTask(ctx, state.taskId, state.itemIndex);
			if (isFinished(state)) known.finished.set(state.taskId, state.task);
		});
		return batch.every(isFinished);
	};
	// With no silent task left, the callback's own task is read with the others at once.
	if (silent.length === 0) return await read([...queue, ...calledBack]);
	for (let round = 2; queue.length > 0; round *= 2) {
		if (!(await read(queue.splice(0, round)))) return false;
	}
	return await read(calledBack);
}

/** In execute(): finish at once if every task is already done, otherwise park the execution. */
export async function parkUntilCallbacks(
	ctx: IExecuteFunctions,
	states: ItemState[],
	settings: WaitSettings,
): Promise<INodeExecutionData[]> {
	const taskStates = states.filter((state): state is TaskState => state.kind === 'task');
	// The last look before parking: a task that ends from here on depends on its callback.
	await readAll(
		ctx,
		taskStates.filter((state) => !isFinished(state)),
	);
	if (taskStates.every(isFinished)) {
		return await finishItems(ctx, states, settings, ctx.continueOnFail() ? 'item' : 'throw');
	}

	const parked = (marker: IDataObject) =>
		states.map((state): INodeExecutionData => {
			if (state.kind === 'settled') return state.item;
			if (state.kind === 'failed') {
				return {
					json: { error: state.error.message, description: state.error.description ?? null },
					pairedItem: { item: state.itemIndex },
				};
			}
			const json = {
				...toTaskOutput(state.task ?? { taskId: state.taskId }),
				...(isFinished(state) ? {} : marker),
			};
			return { json, pairedItem: { item: state.itemIndex } };
		});

	// What n8n passes on if the time limit passes first: the tasks as they were, unfinished ones marked.
	ctx.getExecuteData().data = { main: [parked({ timedOut: true })] };
	await ctx.putExecutionToWait(new Date(Date.now() + settings.timeLimitMinutes * 60_000));
	return parked({ waitingForCallback: true });
}

function reply(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * webhook(): one callback. Resumes the execution only when the API says every task has finished. Once
 * one callback has resumed it, the others are acknowledged at once.
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
	const states = parkedStatesOf(ctx, executionId);
	const taskStates = states.filter((state): state is TaskState => state.kind === 'task');
	if (!taskStates.some((state) => state.taskId === calledFor)) {
		return reply(ctx, 404, {
			received: false,
			error: `Task ${calledFor} is not one this execution waits for`,
		});
	}

	const alreadyResuming = {
		webhookResponse: {
			received: true,
			resumed: false,
			reason: 'the execution is already resuming',
		},
	};
	if (resumedHere.has(executionId)) return alreadyResuming;
	// The callback's own claims are not trusted: the API says which tasks have finished. Callbacks of
	// one execution read side by side; only the decision to resume takes turns.
	try {
		if (!(await everyTaskFinished(ctx, taskStates, calledFor, knowledgeOf(executionId)))) {
			return { webhookResponse: { received: true, resumed: false } };
		}
	} catch (error) {
		const reason = asNodeError(ctx.getNode(), error).message;
		return reply(ctx, 503, {
			received: false,
			error: `Could not confirm the tasks with MaxAPI (${reason}); call again later`,
		});
	}
	const decision = await resumedHere.inTurn(executionId, async () => {
		if (resumedHere.has(executionId)) return alreadyResuming;
		resumedHere.remember(executionId);
		forgetParked(executionId);
		return 'resume' as const;
	});
	if (decision !== 'resume') return decision;

	const output = await finishItems(ctx, states, settings, 'item');
	const withErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
	const workflowData = withErrorOutput
		? [
				output.filter((item) => item.json.error === undefined),
				output.filter((item) => item.json.error !== undefined),
			]
		: [output];
	return { webhookResponse: { received: true, resumed: true }, workflowData };
}
