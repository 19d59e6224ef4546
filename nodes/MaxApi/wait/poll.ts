/**
 * Polls every submitted task at once until each is finished or the time limit passes. Each task is read
 * again when about 5 % of its age has passed (at least every second, at most every max interval): short
 * tasks are noticed within a second or two, long ones cost few reads, and no task waits on another. The
 * reads go through the run's request budget; when more are due than it allows, the most overdue go
 * first, so a big batch is read round and round rather than falling behind.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { forEachConcurrently } from '../../shared/concurrency';
import { asNodeError } from '../../shared/errors';
import { isTerminalStatus } from '../../shared/task';
import { pause } from '../../shared/transport';
import { readTask } from '../../shared/api';
import { MAX_API_IN_FLIGHT } from '../../shared/budget';
import type { ItemState } from './outcome';

export const MIN_POLL_INTERVAL_MS = 1000;
const AGE_FRACTION = 0.05;

// A refused key or an unknown task will not get better by asking again.
const PERMANENT_HTTP_CODES = ['401', '403', '404'];

export function nextPollDelayMs(
	ageMs: number,
	maxIntervalMs: number,
	ageFraction = AGE_FRACTION,
): number {
	return Math.min(Math.max(ageMs * ageFraction, MIN_POLL_INTERVAL_MS), maxIntervalMs);
}

interface Tracked {
	state: Extract<ItemState, { kind: 'task' }>;
	submittedAt: number;
	nextReadAt: number;
}

export async function pollUntilFinished(
	ctx: IExecuteFunctions,
	states: Array<Extract<ItemState, { kind: 'task' }>>,
	limits: { deadline: number; maxIntervalMs: number; ageFraction?: number },
	/** Called once for each task as soon as it is read finished (e.g. to start its download). */
	onFinished?: (state: Extract<ItemState, { kind: 'task' }>) => void,
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

	while (pending.size > 0 && Date.now() < limits.deadline) {
		const now = Date.now();
		const due = [...pending]
			.filter((tracked) => tracked.nextReadAt <= now)
			.sort((a, b) => a.nextReadAt - b.nextReadAt);
		await forEachConcurrently(due, MAX_API_IN_FLIGHT, async (tracked) => {
			const { state } = tracked;
			try {
				state.task = await readTask(ctx, state.taskId, state.itemIndex);
				state.readError = undefined;
				const createdAt = Date.parse(String(state.task.created_at));
				if (state.submittedAt === undefined && createdAt < tracked.submittedAt)
					tracked.submittedAt = createdAt;
				if (isTerminalStatus(String(state.task.status))) {
					pending.delete(tracked);
					onFinished?.(state);
				}
			} catch (error) {
				if (signal?.aborted) throw asNodeError(ctx.getNode(), error, state.itemIndex);
				const nodeError = asNodeError(ctx.getNode(), error, state.itemIndex);
				const permanent =
					nodeError instanceof NodeApiError &&
					PERMANENT_HTTP_CODES.includes(String(nodeError.httpCode));
				// A passing failure only matters if the task could never be read at all.
				if (permanent || !state.task) state.readError = nodeError;
				if (permanent) pending.delete(tracked);
			}
			const readAt = Date.now();
			tracked.nextReadAt =
				readAt +
				nextPollDelayMs(readAt - tracked.submittedAt, limits.maxIntervalMs, limits.ageFraction);
		});
		if (pending.size === 0) break;
		const wakeAt = Math.min(limits.deadline, ...[...pending].map((tracked) => tracked.nextReadAt));
		await pause(ctx, Math.max(wakeAt - Date.now(), 0));
	}
}
