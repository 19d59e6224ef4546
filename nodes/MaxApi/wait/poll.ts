/**
 * Polls every submitted task at once until each is finished or the time limit passes. Each task is read
 * again when about 5 % of its age has passed (at least every second, at most every max interval): short
 * tasks are noticed within a second or two, long ones cost few reads, and no task waits on another. The
 * reads go through the run's request budget; when more are due than it allows, the most overdue go
 * first, so a big batch is read round and round rather than falling behind.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, type NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import { isTerminalStatus } from '../../shared/task';
import { pause } from '../../shared/sleep';
import { readTask } from '../../shared/api';
import type { TaskState } from './itemState';
import { fetchFiles } from './outcome';
import type { WaitSettings } from './settings';

export const MIN_POLL_INTERVAL_MS = 1000;
const AGE_FRACTION = 0.05;
// While many tasks run, each is read at most every this much per running task (4 s while 1000 run, 1 s
// from 250 down): each read costs n8n a new connection through its HTTP stack, which for 1000 tasks read
// every second or two was most of n8n's memory growth; the last tasks of a batch are read every second.
const MS_BETWEEN_READS_PER_TASK = 4;

// A refused key or an unknown task will not get better by asking again.
const PERMANENT_HTTP_CODES = ['401', '403', '404'];

export function nextPollDelayMs(
	ageMs: number,
	maxIntervalMs: number,
	ageFraction = AGE_FRACTION,
	running = 1,
): number {
	const minIntervalMs = Math.max(MIN_POLL_INTERVAL_MS, running * MS_BETWEEN_READS_PER_TASK);
	return Math.min(
		Math.max(ageMs * ageFraction, minIntervalMs),
		Math.max(maxIntervalMs, minIntervalMs),
	);
}

interface Tracked {
	state: TaskState;
	submittedAt: number;
	nextReadAt: number;
	reading?: boolean;
}

export async function pollUntilFinished(
	ctx: IExecuteFunctions,
	states: Array<TaskState>,
	limits: { deadline: number; maxIntervalMs: number; ageFraction?: number },
	/** Called once for each task as soon as it is read finished (e.g. to start its download). */
	onFinished?: (state: TaskState) => void,
): Promise<void> {
	const signal = ctx.getExecutionCancelSignal();
	const pending = new Set<Tracked>(
		states
			.filter((state) => !state.task || !isTerminalStatus(String(state.task.status)))
			.map((state) => {
				// A task submitted elsewhere (the Wait operation) is read at once; its age comes from that read.
				if (state.submittedAt === undefined)
					return { state, submittedAt: Date.now(), nextReadAt: 0 };
				return {
					state,
					submittedAt: state.submittedAt,
					nextReadAt: state.submittedAt + MIN_POLL_INTERVAL_MS,
				};
			}),
	);

	// Reads run side by side through the run's budget; the loop starts those that are due, in order of
	// how overdue they are, and sleeps until the next is due (a read that ends may bring that forward).
	const reads = new Set<Promise<void>>();
	let canceled: NodeApiError | NodeOperationError | undefined;
	let wake = new AbortController();
	let sleepingUntil = 0;
	const read = async (tracked: Tracked) => {
		const { state } = tracked;
		const sentAt = Date.now();
		try {
			state.task = await readTask(ctx, state.taskId, state.itemIndex);
			state.readError = undefined;
			const createdAt = Date.parse(String(state.task.created_at));
			if (state.submittedAt === undefined && createdAt < tracked.submittedAt) {
				tracked.submittedAt = createdAt;
			}
			if (isTerminalStatus(String(state.task.status))) {
				pending.delete(tracked);
				onFinished?.(state);
			}
		} catch (error) {
			const nodeError = asNodeError(ctx.getNode(), error, state.itemIndex);
			if (signal?.aborted) canceled ??= nodeError;
			const permanent =
				nodeError instanceof NodeApiError &&
				PERMANENT_HTTP_CODES.includes(String(nodeError.httpCode));
			// A passing failure only matters if the task could never be read at all.
			if (permanent || !state.task) state.readError = nodeError;
			if (permanent) pending.delete(tracked);
		}
		const age = sentAt - tracked.submittedAt;
		tracked.nextReadAt =
			sentAt + nextPollDelayMs(age, limits.maxIntervalMs, limits.ageFraction, pending.size);
		tracked.reading = false;
		// The loop sleeps until the next read is due; wake it only if this one is due sooner, or if there
		// is nothing left to wait for (a batch of 1000 would otherwise go round the loop on every answer).
		if (tracked.nextReadAt < sleepingUntil || pending.size === 0 || canceled) wake.abort();
	};

	while (pending.size > 0 && Date.now() < limits.deadline && !canceled) {
		const now = Date.now();
		const idle = [...pending].filter((tracked) => !tracked.reading);
		for (const tracked of idle
			.filter((candidate) => candidate.nextReadAt <= now)
			.sort((a, b) => a.nextReadAt - b.nextReadAt)) {
			tracked.reading = true;
			const running = read(tracked).finally(() => reads.delete(running));
			reads.add(running);
		}
		let wakeAt = limits.deadline;
		for (const tracked of idle) if (!tracked.reading) wakeAt = Math.min(wakeAt, tracked.nextReadAt);
		wake = new AbortController();
		sleepingUntil = wakeAt;
		await pause(ctx, Math.max(wakeAt - Date.now(), 0), wake.signal);
	}
	await Promise.all(reads);
	if (canceled) throw canceled;
}

/**
 * Poll as Submit and Wait use it: every task until it has finished or the time limit passes, each
 * task's files fetched (if wanted) as soon as it has finished, while the others still run.
 */
export async function pollWithDownloads(
	ctx: IExecuteFunctions,
	states: Array<TaskState>,
	settings: WaitSettings,
): Promise<void> {
	await pollUntilFinished(
		ctx,
		states,
		{
			deadline: Date.now() + settings.timeLimitMinutes * 60_000,
			maxIntervalMs: settings.maxPollIntervalMs,
		},
		(state) => fetchFiles(ctx, state, settings),
	);
}
