/**
 * The poll schedule as a unit, on jest's fake clock: when each task is read, that reads stop once a task
 * has finished, and that nothing is read after the deadline. No HTTP: a stub context answers the reads.
 * poll.test.ts runs the same code in whole workflows against the emulator.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { nextPollDelayMs, pollUntilFinished } from '../../nodes/MaxApi/wait/poll';
import type { ItemState } from '../../nodes/MaxApi/wait/itemState';

type TaskState = Extract<ItemState, { kind: 'task' }>;

/** A context whose API read answers SUCCESS once a task's finish time has passed, and logs every read. */
function stubContext(finishAt: Record<string, number>) {
	const reads: Array<{ taskId: string; at: number }> = [];
	const ctx = {
		getNode: () => ({
			id: 'n',
			name: 'MaxApi',
			type: 'n8n-nodes-maxapi.maxApi',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getExecutionCancelSignal: () => undefined,
		getCredentials: async () => ({ apiKey: 'key', baseUrl: 'http://api.test' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
				const taskId = options.url.split('/').pop()!;
				reads.push({ taskId, at: Date.now() });
				const status = Date.now() >= finishAt[taskId] ? 'SUCCESS' : 'PROCESSING';
				return {
					statusCode: 200,
					headers: {},
					body: { code: 0, msg: 'ok', data: { taskId, status } },
				};
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, reads };
}

const task = (taskId: string, itemIndex = 0): TaskState => ({
	kind: 'task',
	itemIndex,
	taskId,
	submittedAt: Date.now(),
});

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

async function run(
	states: TaskState[],
	finishAt: Record<string, number>,
	limits: Parameters<typeof pollUntilFinished>[2],
) {
	const { ctx, reads } = stubContext(finishAt);
	let settled = false;
	const polling = pollUntilFinished(ctx, states, limits).finally(() => (settled = true));
	// Fake time goes on a second at a time (timers still fire at their exact moments) until polling ends.
	while (!settled) await jest.advanceTimersByTimeAsync(1000);
	await polling;
	return reads;
}

describe('poll schedule', () => {
	test("each read comes when about 5 % of the task's age has passed: every second while young, then spaced out", async () => {
		const start = Date.now();
		const state = task('ten-minutes');
		const reads = await run(
			[state],
			{ 'ten-minutes': start + 10 * 60_000 },
			{ deadline: start + 60 * 60_000, maxIntervalMs: 60_000 },
		);
		const ages = reads.map((read) => read.at - start);
		expect(ages[0]).toBe(1000);
		// (timers run on whole milliseconds)
		for (let i = 1; i < ages.length; i++) {
			expect(
				Math.abs(ages[i] - ages[i - 1] - nextPollDelayMs(ages[i - 1], 60_000)),
			).toBeLessThanOrEqual(1);
		}
		expect(ages[ages.length - 1]).toBeGreaterThanOrEqual(10 * 60_000);
		// 20 reads in the first 20 s, then one each time the age grows by 5 %: ln(600 / 20) / ln(1.05) ≈ 70.
		expect(reads.length).toBeGreaterThanOrEqual(85);
		expect(reads.length).toBeLessThanOrEqual(92);
		expect(state.task?.status).toBe('SUCCESS');
	});

	test('a finished task is not read again while the others go on; all are read at once', async () => {
		const start = Date.now();
		const states = [task('quick', 0), task('slow', 1)];
		const reads = await run(
			states,
			{ quick: start + 1500, slow: start + 8000 },
			{ deadline: start + 60_000, maxIntervalMs: 60_000 },
		);
		const quickReads = reads
			.filter((read) => read.taskId === 'quick')
			.map((read) => read.at - start);
		expect(quickReads).toEqual([1000, 2000]);
		expect(reads.filter((read) => read.taskId === 'slow').map((read) => read.at - start)).toEqual([
			1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000,
		]);
		expect(states.map((state) => state.task?.status)).toEqual(['SUCCESS', 'SUCCESS']);
	});

	test('while many tasks run each is read less often (4 ms per running task); the last one as a single task is', async () => {
		const start = Date.now();
		// 500 tasks end at 20 s (each read every 2 s while they run); one goes on to 30 s, alone.
		const states = Array.from({ length: 501 }, (_, i) => task(`t${i}`, i));
		const finishAt = Object.fromEntries(
			states.map((state, i) => [state.taskId, start + (i === 500 ? 30_000 : 20_000)]),
		);
		const reads = await run(states, finishAt, { deadline: start + 60_000, maxIntervalMs: 60_000 });
		const readsOf = (taskId: string) =>
			reads.filter((read) => read.taskId === taskId).map((read) => read.at - start);
		const early = readsOf('t0').filter((at) => at <= 10_000);
		expect(early.length).toBeLessThanOrEqual(5);
		// Alone, it is read as a single task is: 5 % of its age, at least every second.
		const late = readsOf('t500').filter((at) => at > 22_000);
		for (let i = 1; i < late.length; i++) {
			expect(
				Math.abs(late[i] - late[i - 1] - nextPollDelayMs(late[i - 1], 60_000)),
			).toBeLessThanOrEqual(1);
		}
		expect(states.every((state) => state.task?.status === 'SUCCESS')).toBe(true);
	});

	test('Max Poll Interval caps the spacing', async () => {
		const start = Date.now();
		const reads = await run(
			[task('hour')],
			{ hour: start + 60 * 60_000 },
			{ deadline: start + 2 * 60 * 60_000, maxIntervalMs: 5_000 },
		);
		const gaps = reads.slice(1).map((read, i) => read.at - reads[i].at);
		expect(Math.max(...gaps)).toBe(5_000);
	});

	test('nothing is read after the deadline; the task stays unfinished', async () => {
		const start = Date.now();
		const state = task('stuck');
		const reads = await run(
			[state],
			{ stuck: Infinity },
			{ deadline: start + 30_000, maxIntervalMs: 60_000 },
		);
		const last = reads[reads.length - 1].at - start;
		expect(last).toBeLessThan(30_000);
		expect(last + nextPollDelayMs(last, 60_000)).toBeGreaterThanOrEqual(30_000);
		expect(state.task?.status).toBe('PROCESSING');
	});

	test('Poll First spacing (read when the age doubles): 1, 2, 4 and 8 s within 10 s', async () => {
		const start = Date.now();
		const reads = await run(
			[task('long')],
			{ long: Infinity },
			{ deadline: start + 10_000, maxIntervalMs: 60_000, ageFraction: 1 },
		);
		expect(reads.map((read) => read.at - start)).toEqual([1000, 2000, 4000, 8000]);
	});
});
