/** How MaxAPI's errors and transport faults reach the user, and that a paid submit is never sent twice. */
import { jsonOf, MAXAPI_NODE, runMaxApi, startEmulator, useEmulator } from '../helpers';
import { credentialLoads } from '../harness/n8n';
import { MAX_RATE_LIMITED_ATTEMPTS } from '../../nodes/shared/retries';
import { trimBaseUrl } from '../../nodes/shared/transport';

const emulator = useEmulator();

const seedance = (prompt = 'A fox') => ({
	operation: 'submit',
	waitForCompletion: 'none',
	family: 'seedance',
	model: 'seedance-2.0',
	prompt,
});

describe('API errors', () => {
	test('a wrong key: "the API key was refused", and the key is nowhere in the result', async () => {
		const wrongKey = 'sk-wrong-key-0123456789';
		const result = await runMaxApi(emulator, seedance(), { apiKey: wrongKey });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('The API key was refused (401 unauthorized)');
		expect(result.error?.description).toMatch(/Check the API key in the MaxAPI credential/);
		expect(JSON.stringify(result.run)).not.toContain(wrongKey);
		expect(emulator.requests[0].authorized).toBe(false);
	});

	test('the good key never appears in output or errors either', async () => {
		const result = await runMaxApi(
			emulator,
			{ operation: 'get', taskId: '={{ $json.id }}' },
			{ items: [{ json: { id: 'missing' } }, { json: { id: '' } }], continueOnFail: true },
		);
		expect(JSON.stringify(result.run)).not.toContain(emulator.apiKey);
	});

	test('a server that echoes the key back: the message is kept, the key in it is not', async () => {
		// What a proxy or a careless API does: the refusal quotes the request's Authorization header.
		const echoed = `bad request from Bearer ${emulator.apiKey}`;
		emulator.injectFault({ route: 'get', type: 'envelope', code: 400, msg: echoed });
		emulator.injectFault({ route: 'get', type: 'envelope', code: 400, msg: echoed });
		const stopped = await runMaxApi(emulator, { operation: 'get', taskId: 'x' });
		expect(stopped.error?.message).toContain('bad request from Bearer ***');
		const carriedOn = await runMaxApi(
			emulator,
			{ operation: 'get', taskId: 'x' },
			{ continueOnFail: true },
		);
		expect(JSON.stringify(carriedOn.output(MAXAPI_NODE))).toContain('Bearer ***');
		for (const result of [stopped, carriedOn]) {
			expect(JSON.stringify(result.run)).not.toContain(emulator.apiKey);
			expect(JSON.stringify(result.error ?? {})).not.toContain(emulator.apiKey);
		}
	});

	test('an error only in the envelope (HTTP 200) counts as much as an HTTP status', async () => {
		const strict = await startEmulator({ httpStatusMirrorsCode: false });
		try {
			const result = await runMaxApi(strict, seedance(), { apiKey: 'wrong' });
			expect(result.error?.message).toBe('The API key was refused (401 unauthorized)');
		} finally {
			await strict.stop();
		}
	});

	test('a moderation block names the flagged categories and says nothing was charged', async () => {
		const result = await runMaxApi(emulator, seedance('mock:moderation a fight'));
		expect(result.error?.message).toBe(
			"MaxAPI's moderation blocked the request (flagged: violence, violence/graphic)",
		);
		expect(result.error?.description).toMatch(/Nothing was charged/);
	});

	test('an unknown task is "not found", naming it', async () => {
		const result = await runMaxApi(emulator, { operation: 'get', taskId: 'no-such-task' });
		expect(result.error?.message).toBe('Task "no-such-task" was not found');
	});

	test('a server error that lasts is reported after four tries', async () => {
		emulator.injectFault({ route: 'get', type: 'status', status: 502, count: 4 });
		const result = await runMaxApi(emulator, { operation: 'get', taskId: 'x' });
		expect(result.error?.message).toMatch(/^MaxAPI had a server error \(502/);
		expect(emulator.requests).toHaveLength(4);
	});
});

describe('submit is never repeated once it may have reached MaxAPI', () => {
	test('429 with Retry-After: waits, then submits again (the server took nothing)', async () => {
		emulator.injectFault({ route: 'submit', type: 'status', status: 429, retryAfter: 1 });
		const started = Date.now();
		const result = await runMaxApi(emulator, seedance());
		expect(result.status).toBe('success');
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(emulator.submitCount()).toBe(2);
		expect(emulator.tasks.size).toBe(1);
	});

	test('500 on submit: one request, an error that says to look before submitting again', async () => {
		emulator.injectFault({ route: 'submit', type: 'status', status: 500 });
		const result = await runMaxApi(emulator, seedance());
		expect(emulator.submitCount()).toBe(1);
		expect(result.error?.message).toMatch(/^MaxAPI had a server error \(500/);
		expect(result.error?.description).toMatch(/may or may not have been created.*not paid twice/);
	});

	test('a connection reset after the server took the task: not sent again', async () => {
		emulator.injectFault({ route: 'submit', type: 'reset' });
		const result = await runMaxApi(emulator, seedance());
		expect(emulator.submitCount()).toBe(1);
		expect(emulator.tasks.size).toBe(1);
		expect(result.error?.message).toBe('Could not reach MaxAPI: the connection was reset');
		expect(result.error?.description).toMatch(/may have reached MaxAPI, so it was not sent again/);
	});

	test('with Continue On Fail, a failed submit becomes an error item and the others still run', async () => {
		emulator.injectFault({ route: 'submit', type: 'reset' });
		const result = await runMaxApi(emulator, seedance('={{ $json.prompt }}'), {
			items: [
				{ json: { prompt: 'first' } },
				{ json: { prompt: 'second' } },
				{ json: { prompt: '' } },
			],
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		const output = result.output(MAXAPI_NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.error).toBe('Could not reach MaxAPI: the connection was reset');
		expect(output[1].json.taskId).toEqual(expect.any(String));
		expect(output[2].json.error).toBe('Prompt: The prompt is empty');
		expect(emulator.submitCount()).toBe(2);
	});

	test('a slow answer is waited for, not retried', async () => {
		emulator.injectFault({ route: 'submit', type: 'slow-body', delayMs: 1500 });
		const result = await runMaxApi(emulator, seedance());
		expect(result.status).toBe('success');
		expect(emulator.submitCount()).toBe(1);
	});

	test('a refused connection (nothing listening) is an error naming the cause', async () => {
		const result = await runMaxApi(emulator, seedance(), { baseUrl: 'http://127.0.0.1:9' });
		expect(result.error?.message).toBe('Could not reach MaxAPI: the connection was refused');
		expect(result.error?.description).toMatch(/Check the Base URL.*\(ECONNREFUSED\)/);
	});
});

describe('reads retry what is worth retrying', () => {
	test('429 with Retry-After, 500, a reset and a slow body are retried until the task is read', async () => {
		const taskId = String(
			jsonOf((await runMaxApi(emulator, seedance())).output(MAXAPI_NODE))[0].taskId,
		);
		emulator.injectFault({ route: 'get', type: 'status', status: 429, retryAfter: 1 });
		emulator.injectFault({ route: 'get', type: 'status', status: 500 });
		emulator.injectFault({ route: 'get', type: 'reset' });
		const result = await runMaxApi(emulator, { operation: 'get', taskId });
		expect(result.status).toBe('success');
		expect(result.output(MAXAPI_NODE)[0].json.taskId).toBe(taskId);
		expect(emulator.requests.filter((request) => request.route === 'get')).toHaveLength(4);
	});

	test('an error carried only in the envelope is retried like the HTTP status', async () => {
		const taskId = String(
			jsonOf((await runMaxApi(emulator, seedance())).output(MAXAPI_NODE))[0].taskId,
		);
		emulator.injectFault({ route: 'get', type: 'envelope', code: 503, msg: 'busy' });
		const result = await runMaxApi(emulator, { operation: 'get', taskId });
		expect(result.status).toBe('success');
		expect(emulator.requests.filter((request) => request.route === 'get')).toHaveLength(2);
	});

	test('a 400 is not retried', async () => {
		emulator.injectFault({ route: 'get', type: 'status', status: 400 });
		const result = await runMaxApi(emulator, { operation: 'get', taskId: 'x' });
		expect(result.error?.message).toMatch(/^MaxAPI rejected the request/);
		expect(emulator.requests).toHaveLength(1);
	});
});

describe('the credential', () => {
	test('is loaded once per run, however many requests the run sends', async () => {
		// n8n loads and decrypts a credential from its database on each load.
		credentialLoads.count = 0;
		const result = await runMaxApi(
			emulator,
			{ ...seedance('={{ $json.prompt }}'), waitForCompletion: 'poll' },
			{
				items: ['a', 'b', 'c', 'd'].map((prompt) => ({
					json: { prompt: `${prompt} mock:latency=1500` },
				})),
			},
		);
		expect(result.status).toBe('success');
		expect(emulator.requests.length).toBeGreaterThan(8);
		expect(emulator.requests.every((request) => request.authorized)).toBe(true);
		expect(credentialLoads.count).toBe(1);
	});
});

describe('429, again and again', () => {
	const submittedTaskId = async () =>
		String(jsonOf((await runMaxApi(emulator, seedance())).output(MAXAPI_NODE))[0].taskId);
	const gets = () => emulator.requests.filter((request) => request.route === 'get');

	test(`a read refused ${MAX_RATE_LIMITED_ATTEMPTS} times in a row ends with the 429, sent no more`, async () => {
		const taskId = await submittedTaskId();
		// One more 429 than the transport takes, so that one more send would also be refused.
		emulator.injectFault({
			route: 'get',
			type: 'status',
			status: 429,
			retryAfter: 0,
			count: MAX_RATE_LIMITED_ATTEMPTS + 1,
		});
		const result = await runMaxApi(emulator, { operation: 'get', taskId });
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect(gets()).toHaveLength(MAX_RATE_LIMITED_ATTEMPTS);
	});

	test('a 429 without Retry-After: the next request waits the first back-off, half a second', async () => {
		const taskId = await submittedTaskId();
		emulator.injectFault({ route: 'get', type: 'status', status: 429 });
		const result = await runMaxApi(emulator, { operation: 'get', taskId });
		expect(result.status).toBe('success');
		const [refused, read] = gets();
		expect(read.at - refused.at).toBeGreaterThanOrEqual(500);
	});
});

describe('the Base URL', () => {
	test('spaces and trailing slashes are trimmed; a credential saved without one gives an empty one', () => {
		expect(trimBaseUrl('  https://api.maxapi.io//  ')).toBe('https://api.maxapi.io');
		expect(trimBaseUrl(undefined as unknown as string)).toBe('');
	});
});
