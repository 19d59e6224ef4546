/**
 * Submit sends several tasks at once within the run's request budget: never a submit twice, items in
 * input order whatever order the answers come in, the run stops sending once a failure is known, and a
 * 429 slows every request of the run.
 */
import { jsonOf, MAXAPI_NODE, prompts, runMaxApi, useEmulator } from '../../../helpers';

const emulator = useEmulator();

const submit = (parameters: Record<string, unknown> = {}) => ({
	operation: 'submit',
	waitForCompletion: 'none',
	family: 'seedance',
	model: 'seedance-2.0',
	prompt: '={{ $json.prompt }}',
	...parameters,
});

const many = (count: number, suffix = '') =>
	prompts(...Array.from({ length: count }, (_, i) => `item ${i}${suffix}`));

const submittedPrompts = () =>
	[...emulator.tasks.values()].map((task) => String(task.input.prompt));

describe('Submit: many at once', () => {
	test('several submits are in flight at once, and the items come out in input order', async () => {
		// Answers take 200 ms each: one after another, 30 would take 6 s.
		emulator.injectFault({ route: 'submit', type: 'delay', delayMs: 200, count: 30 });
		const result = await runMaxApi(emulator, submit(), { items: many(30) });
		expect(result.status).toBe('success');
		expect(emulator.peakInFlight()).toBeGreaterThan(10);
		const output = result.output(MAXAPI_NODE);
		expect(output.map((item) => item.pairedItem)).toEqual(output.map((_, item) => ({ item })));
		const promptOf = new Map(
			[...emulator.tasks.values()].map((task) => [task.taskId, task.input.prompt]),
		);
		expect(jsonOf(output).map((json) => promptOf.get(String(json.taskId)))).toEqual(
			many(30).map((item) => item.json.prompt),
		);
		expect(emulator.submitCount()).toBe(30);
	});

	test('a reset mid-batch: the run stops, nothing is sent twice, and the error lists every task created', async () => {
		emulator.injectFault({ route: 'submit', type: 'reset' });
		const result = await runMaxApi(emulator, submit(), { items: many(10) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Could not reach MaxAPI: the connection was reset');
		// The reset submit made its task (the request had arrived); it was not sent again.
		expect(emulator.tasks.size).toBe(emulator.submitCount());
		expect(new Set(submittedPrompts()).size).toBe(emulator.tasks.size);
		const [resetTask, ...answered] = [...emulator.tasks.keys()];
		for (const taskId of answered) expect(result.error?.description).toContain(taskId);
		expect(result.error?.description).not.toContain(resetTask);
		expect(result.error?.description).toMatch(/may have reached MaxAPI, so it was not sent again/);
	});

	test('a 500 after MaxAPI made the task: not sent again, and the error says so and lists the tasks made', async () => {
		emulator.injectFault({ route: 'submit', type: 'status', status: 500, processed: true });
		const result = await runMaxApi(emulator, submit(), { items: many(10) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^MaxAPI had a server error \(500/);
		expect(result.error?.description).toMatch(/may or may not have been created/);
		// Every submit made one task, the failed one included; none was sent twice.
		expect(emulator.tasks.size).toBe(emulator.submitCount());
		expect(new Set(submittedPrompts()).size).toBe(emulator.tasks.size);
		const [madeByTheFailure, ...answered] = [...emulator.tasks.keys()];
		for (const taskId of answered) expect(result.error?.description).toContain(taskId);
		expect(result.error?.description).not.toContain(madeByTheFailure);
	});

	test('once a submit has failed, no further submit is sent', async () => {
		// The first submit to arrive fails at once; the others are answered 200 ms later, so the items
		// beyond the first batch in flight are still waiting for a slot when the failure is known.
		emulator.injectFault({ route: 'submit', type: 'status', status: 500 });
		emulator.injectFault({ route: 'submit', type: 'delay', delayMs: 200, count: 1000 });
		const result = await runMaxApi(emulator, submit(), { items: many(100) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^MaxAPI had a server error \(500/);
		expect(emulator.submitCount()).toBeLessThan(100);
		expect(emulator.tasks.size).toBe(emulator.submitCount() - 1);
		for (const taskId of emulator.tasks.keys()) expect(result.error?.description).toContain(taskId);
	});

	test('with Continue On Fail, a failed submit is an error item and every other item is submitted once', async () => {
		emulator.injectFault({ route: 'submit', type: 'status', status: 500 });
		const result = await runMaxApi(emulator, submit(), { items: many(12), continueOnFail: true });
		const output = jsonOf(result.output(MAXAPI_NODE));
		expect(output.filter((json) => json.error !== undefined)).toHaveLength(1);
		expect(output.filter((json) => typeof json.taskId === 'string')).toHaveLength(11);
		expect(emulator.tasks.size).toBe(11);
		expect(new Set(submittedPrompts()).size).toBe(11);
	});

	test('with "Continue (using error output)", a failed submit comes out on the error output, the others on the main one', async () => {
		emulator.injectFault({ route: 'submit', type: 'status', status: 500 });
		const result = await runMaxApi(emulator, submit(), { items: many(12), errorOutput: true });
		expect(
			jsonOf(result.output(MAXAPI_NODE, 0)).every((json) => typeof json.taskId === 'string'),
		).toBe(true);
		expect(result.output(MAXAPI_NODE, 0)).toHaveLength(11);
		const failed = jsonOf(result.output(MAXAPI_NODE, 1));
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({ error: expect.any(String), details: expect.any(Object) });
		expect(emulator.tasks.size).toBe(11);
	});

	test('a 429 pauses every request of the run for its Retry-After, not only the one that got it', async () => {
		emulator.injectFault({ route: 'submit', type: 'status', status: 429, retryAfter: 1 });
		emulator.injectFault({ route: 'submit', type: 'delay', delayMs: 100, count: 1000 });
		const result = await runMaxApi(emulator, submit(), { items: many(80) });
		expect(result.status).toBe('success');
		expect(emulator.tasks.size).toBe(80);
		const submits = emulator.requests.filter((request) => request.route === 'submit');
		const limitedAt = submits[0].at;
		// Requests already on their way arrive at once; none is sent during the second that follows.
		const during = submits.filter(
			(request) => request.at > limitedAt + 100 && request.at < limitedAt + 950,
		);
		expect(during).toHaveLength(0);
		expect(new Set(submittedPrompts()).size).toBe(80);
	});
});
