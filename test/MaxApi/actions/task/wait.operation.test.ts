/** The Wait operation: task IDs in (one per item), finished tasks out, in whole workflows. */
import type { INodeExecutionData } from 'n8n-workflow';

import { FIRST_WINDOW, MAX_API_IN_FLIGHT } from '../../../../nodes/shared/budget';
import { jsonOf, MAXAPI_NODE, runMaxApi, useEmulator } from '../../../helpers';

const emulator = useEmulator();

const wait = (parameters: Record<string, unknown> = {}) => ({
	operation: 'wait',
	taskId: '={{ $json.taskId }}',
	...parameters,
});

async function submitted(...prompts: string[]): Promise<INodeExecutionData[]> {
	const items = prompts.map((prompt) => ({ json: { prompt } }));
	const result = await runMaxApi(
		emulator,
		{
			operation: 'submit',
			waitForCompletion: 'none',
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: '={{ $json.prompt }}',
		},
		{ items },
	);
	// What a sheet or a Don't Wait node passes on: a task ID per item.
	return jsonOf(result.output(MAXAPI_NODE)).map((json) => ({ json: { taskId: json.taskId } }));
}

const readsOf = (taskId: unknown) =>
	emulator.requests.filter((request) => request.route === 'get' && request.taskId === taskId)
		.length;

describe('Wait', () => {
	test("many tasks: requests in flight stay within the run's budget, through the real transport", async () => {
		const items = await submitted(
			...Array.from({ length: 500 }, (_, i) => `task ${i} mock:latency=0`),
		);
		// 500 first reads due at once, each answered slowly: without the budget's cap most would be in
		// flight together. How close to the cap they come depends on the machine's pace (the slow start
		// allows twice the answers of the last second); budget.test.ts shows the cap reached, on a fake clock.
		emulator.injectFault({ route: 'get', type: 'slow-body', delayMs: 400, count: 10_000 });
		const result = await runMaxApi(emulator, wait(), { items });
		expect(result.error?.message).toBeUndefined();
		expect(result.output(MAXAPI_NODE)).toHaveLength(500);
		expect(emulator.peakInFlight()).toBeLessThanOrEqual(MAX_API_IN_FLIGHT);
		expect(emulator.peakInFlight()).toBeGreaterThan(FIRST_WINDOW);
	});

	test('waits for every task at once and outputs them finished, in input order, like Poll', async () => {
		const items = await submitted(
			'slow mock:latency=2000',
			'quick mock:latency=300',
			'done mock:latency=0',
		);
		const result = await runMaxApi(emulator, wait(), { items });
		expect(result.status).toBe('success');
		const output = result.output(MAXAPI_NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(jsonOf(output).map((json) => [json.taskId, json.status, json.finished])).toEqual(
			items.map((item) => [item.json.taskId, 'SUCCESS', true]),
		);
		// A task that had already finished is read once, at once.
		expect(readsOf(items[2].json.taskId)).toBe(1);
	});

	test('the same output shape as Get', async () => {
		const items = await submitted('done mock:latency=0');
		const waited = await runMaxApi(emulator, wait(), { items });
		const got = await runMaxApi(emulator, {
			operation: 'get',
			taskId: String(items[0].json.taskId),
		});
		expect(jsonOf(waited.output(MAXAPI_NODE))).toEqual(jsonOf(got.output(MAXAPI_NODE)));
	});

	test('Download Result Files: the files as binary data', async () => {
		const items = await submitted('video mock:latency=200');
		const result = await runMaxApi(emulator, wait({ downloadResults: true }), { items });
		expect(result.output(MAXAPI_NODE)[0].binary?.data).toMatchObject({ mimeType: 'video/mp4' });
	});

	test('time limit, by default: an error naming the task and how to read it later', async () => {
		const items = await submitted('stuck mock:never');
		const result = await runMaxApi(emulator, wait({ timeLimitMinutes: 0.05 }), { items });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`Task ${items[0].json.taskId} did not finish within the time limit of 0.05 minutes (last status: SUBMITTED)`,
		);
	});

	test('time limit, "Output the Unfinished Task": an item with timedOut, next to the finished ones', async () => {
		const items = await submitted('stuck mock:never', 'fine mock:latency=0');
		const result = await runMaxApi(
			emulator,
			wait({ timeLimitMinutes: 0.05, onTimeLimit: 'output' }),
			{
				items,
			},
		);
		const [stuck, fine] = jsonOf(result.output(MAXAPI_NODE));
		expect(stuck).toMatchObject({ taskId: items[0].json.taskId, finished: false, timedOut: true });
		expect(fine).toMatchObject({ status: 'SUCCESS' });
		expect(fine.timedOut).toBeUndefined();
	});

	test('a bad task ID is refused before any request, naming the field', async () => {
		const result = await runMaxApi(emulator, wait(), {
			items: [{ json: { taskId: '../../etc/passwd' } }],
		});
		expect(result.error?.message).toBe('Task ID: "../../etc/passwd" is not a task ID');
		expect(emulator.requests).toHaveLength(0);
	});

	test('an unknown task is "not found", read once; with Continue On Fail the others still come out', async () => {
		const items = [
			{ json: { taskId: 'no-such-task' } },
			...(await submitted('fine mock:latency=0')),
		];
		const result = await runMaxApi(emulator, wait(), { items, continueOnFail: true });
		const [unknown, fine] = jsonOf(result.output(MAXAPI_NODE));
		expect(unknown.error).toBe('Task "no-such-task" was not found');
		expect(fine).toMatchObject({ status: 'SUCCESS' });
		expect(readsOf('no-such-task')).toBe(1);
	});
});
