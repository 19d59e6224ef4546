/**
 * Submit with "Wait for Completion: Poll", whole workflows against the emulator; then the poll schedule
 * as a unit, on jest's fake clock: when each task is read, that reads stop once a task has finished, and
 * that nothing is read after the deadline.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { TaskState } from '../../../nodes/MaxApi/wait/itemState';
import { nextPollDelayMs, pollUntilFinished } from '../../../nodes/MaxApi/wait/poll';
import {
	jsonOf,
	MAXAPI_NODE,
	prompts,
	maxApiWorkflow,
	runMaxApi,
	useEmulator,
} from '../../helpers';
import { runWorkflow } from '../../harness/n8n';

const emulator = useEmulator();

const poll = (parameters: Record<string, unknown> = {}) => ({
	operation: 'submit',
	waitForCompletion: 'poll',
	family: 'seedance',
	model: 'seedance-2.0',
	prompt: '={{ $json.prompt }}',
	...parameters,
});

describe('Poll', () => {
	test('waits for all tasks at once and outputs them in input order, whatever order they finish in', async () => {
		const result = await runMaxApi(emulator, poll(), {
			items: prompts(
				'slow mock:latency=2500',
				'middle mock:latency=1500',
				'quick mock:latency=500',
			),
		});
		expect(result.status).toBe('success');
		const output = result.output(MAXAPI_NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(jsonOf(output).map((json) => (json.input as { prompt: string }).prompt)).toEqual([
			'slow mock:latency=2500',
			'middle mock:latency=1500',
			'quick mock:latency=500',
		]);
		expect(
			jsonOf(output).every((json) => json.status === 'SUCCESS' && json.finished === true),
		).toBe(true);
		expect(output[0].json.resultUrl).toMatch(/\/files\/.+\/0\.mp4$/);
		// Together, not one after another: every task is submitted before the first read, and the quick
		// task is read (and done) while the slow one is still being read.
		const [slow, , quick] = [...emulator.tasks.keys()];
		const routes = emulator.requests.map((request) =>
			request.route === 'get' ? request.taskId : request.route,
		);
		expect(routes.slice(0, 3)).toEqual(['submit', 'submit', 'submit']);
		expect(routes.indexOf(quick)).toBeLessThan(routes.lastIndexOf(slow));
	});

	test('an unsuccessful task stops the node with an error naming the task, its status and reason', async () => {
		const result = await runMaxApi(emulator, poll(), {
			items: prompts('fine mock:latency=300', 'bad mock:fail=CONTENT_MODERATION mock:latency=300'),
		});
		const failedTaskId =
			emulator.requests.filter((r) => r.route === 'submit').length === 2
				? [...emulator.tasks.keys()][1]
				: undefined;
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`Task ${failedTaskId} ended with status FAILURE: CONTENT_MODERATION`,
		);
		expect(result.error?.description).toMatch(/rejected by moderation/);
	});

	test('with Continue On Fail, an unsuccessful task is an item carrying the error, the task and its pairing', async () => {
		const result = await runMaxApi(emulator, poll(), {
			items: prompts(
				'fine mock:latency=300',
				'late mock:timeout mock:latency=300',
				'fine too mock:latency=300',
			),
			continueOnFail: true,
		});
		const output = jsonOf(result.output(MAXAPI_NODE));
		expect(output.map((json) => json.status)).toEqual(['SUCCESS', 'TIMEOUT', 'SUCCESS']);
		expect(output[1].error).toBe(`Task ${output[1].taskId} ended with status TIMEOUT`);
		expect(output[1].failureAdvice).toMatch(/timed out/);
		expect(output[0].error).toBeUndefined();
	});

	test('with "Continue (using error output)", an unsuccessful task comes out on the error output', async () => {
		const result = await runMaxApi(emulator, poll(), {
			items: prompts('fine mock:latency=300', 'late mock:timeout mock:latency=300'),
			errorOutput: true,
		});
		expect(jsonOf(result.output(MAXAPI_NODE, 0)).map((json) => json.status)).toEqual(['SUCCESS']);
		const [failed] = result.output(MAXAPI_NODE, 1);
		// n8n moves an item there only if its json is just error, message and details, and adds the input's fields.
		expect(failed.json).toEqual({
			prompt: 'late mock:timeout mock:latency=300',
			error: expect.stringMatching(/ended with status TIMEOUT$/),
			details: expect.objectContaining({ status: 'TIMEOUT', description: expect.any(String) }),
		});
		expect(failed.pairedItem).toEqual({ item: 1 });
	});

	test('a task still running at the time limit is an error by default, saying how to get it later', async () => {
		const result = await runMaxApi(emulator, poll({ timeLimitMinutes: 0.05 }), {
			items: prompts('forever mock:never'),
		});
		expect(result.error?.message).toMatch(
			/^Task .+ did not finish within the time limit of 0\.05 minutes \(last status: (PROCESSING|SUBMITTED)\)$/,
		);
		expect(result.error?.description).toMatch(/keeps running at MaxAPI.*Get operation/);
	});

	test('… or, if chosen, an item with its status, task ID and timedOut, next to the finished ones', async () => {
		const result = await runMaxApi(
			emulator,
			poll({ timeLimitMinutes: 0.05, onTimeLimit: 'output' }),
			{
				items: prompts('forever mock:never', 'quick mock:latency=200'),
			},
		);
		expect(result.status).toBe('success');
		const [unfinished, finished] = jsonOf(result.output(MAXAPI_NODE));
		expect(unfinished).toMatchObject({
			finished: false,
			timedOut: true,
			taskId: expect.any(String),
		});
		expect(emulator.getTask(unfinished.taskId as string)?.status).toBe('SUBMITTED');
		expect(finished).toMatchObject({ status: 'SUCCESS' });
		expect(finished.timedOut).toBeUndefined();
	});

	test('stopping the execution ends the run as canceled (the schedule below: and no read after)', async () => {
		const controller = new AbortController();
		void emulator
			.waitFor(() => emulator.requests.some((request) => request.route === 'get'))
			.then(() => controller.abort());
		// The task never ends and the time limit is an hour away: the run ends only because it was stopped.
		const result = await runWorkflow(maxApiWorkflow(poll()), {
			credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
			items: prompts('forever mock:never'),
			abortSignal: controller.signal,
		});
		expect(result.error?.message).toMatch(/cancel/i);
		expect(result.status).toBe('canceled');
	});

	test('downloads the result files as binary data: data for a video, data and data_1 for two images', async () => {
		const result = await runMaxApi(emulator, poll({ downloadResults: true }), {
			items: prompts('a video mock:latency=200'),
		});
		const [video] = result.output(MAXAPI_NODE);
		expect(video.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
		expect(Buffer.from(video.binary!.data.data, 'base64').subarray(4, 8).toString('latin1')).toBe(
			'ftyp',
		);

		const images = await runMaxApi(
			emulator,
			poll({ family: 'seedream', model: 'seedream-4', n: 2, downloadResults: true }),
			{ items: prompts('posters mock:latency=200') },
		);
		const [item] = images.output(MAXAPI_NODE);
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1']);
		expect(item.binary!.data_1.mimeType).toBe('image/png');
	});

	test("each task's files are downloaded as soon as it has finished, while the others still run", async () => {
		const running = runMaxApi(emulator, poll({ downloadResults: true }), {
			items: prompts('quick mock:latency=300', 'long mock:never'),
		});
		// The long task runs until the test ends it: the quick one's file must come first.
		await emulator.waitFor(() => emulator.fileRequests.length === 1, 10_000);
		const [quick, long] = [...emulator.tasks.keys()];
		expect(emulator.fileRequests[0].path).toBe(`/files/${quick}/0.mp4`);
		emulator.finishTask(long);
		const result = await running;
		expect(result.output(MAXAPI_NODE).map((item) => item.binary?.data?.mimeType)).toEqual([
			'video/mp4',
			'video/mp4',
		]);
		expect(emulator.fileRequests.map((request) => request.path)).toEqual([
			`/files/${quick}/0.mp4`,
			`/files/${long}/0.mp4`,
		]);
	});

	test('the API key never travels to the result file host', async () => {
		await runMaxApi(emulator, poll({ downloadResults: true }), {
			items: prompts('a video mock:latency=100'),
		});
		expect(emulator.fileRequests).toEqual([
			{ path: expect.stringMatching(/^\/files\/.+\/0\.mp4$/), authorization: false },
		]);
		expect(emulator.requests.every((request) => request.authorized)).toBe(true);
	});

	test('reads are few: a young task is read at most once a second, and less often as it ages', async () => {
		const result = await runMaxApi(emulator, poll(), {
			items: prompts('three seconds mock:latency=3000'),
		});
		const taskId = result.output(MAXAPI_NODE)[0].json.taskId;
		const readAt = emulator.requests
			.filter((request) => request.route === 'get' && request.taskId === taskId)
			.map((request) => request.at);
		expect(readAt.length).toBeGreaterThanOrEqual(1);
		// A lower bound only, which no slow machine can break: reads are sent at least 1000 ms apart, and
		// their arrival here varies by a few ms (half a second of slack); too-frequent polling is far below.
		for (const [i, at] of readAt.entries())
			if (i > 0) expect(at - readAt[i - 1]).toBeGreaterThanOrEqual(500);
		expect(nextPollDelayMs(10_000, 60_000)).toBe(1000);
		expect(nextPollDelayMs(60 * 60_000, 60_000)).toBe(60_000);
		expect(nextPollDelayMs(10 * 60_000, 60_000)).toBe(30_000);
		// While many tasks run, each is read less often: 4 ms per running task.
		expect(nextPollDelayMs(10_000, 60_000, 0.05, 100)).toBe(1000);
		expect(nextPollDelayMs(10_000, 60_000, 0.05, 1000)).toBe(4000);
		expect(nextPollDelayMs(10 * 60_000, 60_000, 0.05, 1000)).toBe(30_000);
	});

	test('passing read failures are retried; the result is still right', async () => {
		emulator.injectFault({ route: 'get', type: 'status', status: 503, count: 2 });
		const result = await runMaxApi(emulator, poll(), {
			items: prompts('a video mock:latency=500'),
		});
		expect(result.status).toBe('success');
		expect(result.output(MAXAPI_NODE)[0].json.status).toBe('SUCCESS');
	});

	test('bad input on any item stops the run before any task is submitted', async () => {
		const result = await runMaxApi(emulator, poll(), { items: prompts('fine', 'also fine', '') });
		expect(result.error?.message).toBe('Prompt: The prompt is empty');
		expect(emulator.submitCount()).toBe(0);
	});

	test('a submit failing half-way names the tasks already submitted, so none is lost', async () => {
		const result = await runMaxApi(emulator, poll(), {
			items: prompts('one mock:latency=100', 'two mock:moderation'),
		});
		const [firstTaskId] = [...emulator.tasks.keys()];
		expect(result.error?.message).toMatch(/moderation blocked the request/);
		expect(result.error?.description).toMatch(
			new RegExp(
				`Tasks already submitted in this run keep running at MaxAPI: item 0: ${firstTaskId}\\.$`,
			),
		);
		expect(emulator.submitCount()).toBe(2);
	});
});

/** A context whose API read answers SUCCESS once a task's finish time has passed, and logs every read. */
function stubContext(finishAt: Record<string, number>, cancelSignal?: AbortSignal) {
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
		getExecutionCancelSignal: () => cancelSignal,
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

describe('poll schedule, as a unit on a fake clock (a stub context answers the reads, no HTTP)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
	afterEach(() => jest.useRealTimers());

	test('stopping the execution ends polling at once, and nothing is read after, however long', async () => {
		const controller = new AbortController();
		const { ctx, reads } = stubContext({ forever: Infinity }, controller.signal);
		const start = Date.now();
		let ended: string | undefined;
		const polling = pollUntilFinished(ctx, [task('forever')], {
			deadline: start + 60 * 60_000,
			maxIntervalMs: 60_000,
		}).then(
			() => (ended = 'returned'),
			(error: Error) => (ended = error.message),
		);
		await jest.advanceTimersByTimeAsync(2500);
		expect(reads).toHaveLength(2);
		controller.abort();
		await jest.advanceTimersByTimeAsync(0);
		expect(ended).toBe('The execution was canceled');
		await jest.advanceTimersByTimeAsync(2 * 60 * 60_000);
		await polling;
		expect(reads).toHaveLength(2);
	});

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
