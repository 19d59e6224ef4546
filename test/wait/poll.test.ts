/** Submit with "Wait for Completion: Poll", whole workflows against the emulator. */

import { nextPollDelayMs } from '../../nodes/MaxApi/wait/poll';
import { jsonOf, MAXAPI_NODE, prompts, maxApiWorkflow, runMaxApi, useEmulator } from '../helpers';
import { runWorkflow } from '../harness/n8n';

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

	test('stopping the execution stops polling at once', async () => {
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
		const readsAtStop = emulator.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(emulator.requests.length).toBe(readsAtStop);
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
