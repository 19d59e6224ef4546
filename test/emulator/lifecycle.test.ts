/** The emulator object: its public surface, start/stop, reset(), waitFor(), and that it never keeps a process alive. */
import http from 'http';

import {
	createEmulator,
	DEFAULT_API_KEY,
	expectEmulatorSilent,
	getTask,
	runNode,
	SERVER_JS,
	sleep,
	startReceiver,
	submitOk,
	useFakeClock,
	useRealTimersAfterEach,
	waitForExit,
	withEmulator,
} from './fixtures';

expectEmulatorSilent();
useRealTimersAfterEach();

describe('emulator lifecycle', () => {
	test('the public surface is exactly the documented one', () => {
		const emu = createEmulator();
		expect(Object.keys(emu).sort()).toEqual(
			[
				'apiKey',
				'baseUrl',
				'callbacks',
				'configure',
				'deliverCallback',
				'fileRequests',
				'finishTask',
				'getTask',
				'heldCount',
				'injectFault',
				'options',
				'peakInFlight',
				'release',
				'requests',
				'reset',
				'start',
				'stop',
				'submitCount',
				'tasks',
				'tasksCreated',
				'waitFor',
			].sort(),
		);
		expect(Object.getOwnPropertyDescriptor(emu, 'baseUrl')?.get).toBeInstanceOf(Function);
		expect(emu.tasks).toBeInstanceOf(Map);
	});

	test('start() gives baseUrl and port; stop() is idempotent; exports', async () => {
		expect(DEFAULT_API_KEY).toBe('maxapi-emulator-key');
		const emu = createEmulator();
		expect(emu.baseUrl).toBeNull();
		try {
			const info = await emu.start();
			expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(info.port).toBe(Number(new URL(info.baseUrl).port));
			expect(emu.baseUrl).toBe(info.baseUrl);
			expect(emu.apiKey).toBe(DEFAULT_API_KEY);
		} finally {
			await emu.stop();
			await emu.stop();
		}
	});

	test('reset(): clears tasks, logs, faults and pending timers (no late callback)', async () => {
		const receiver = await startReceiver();
		try {
			await withEmulator({ latencyMs: 100 }, async (emu) => {
				const { requests, callbacks, tasks } = emu;
				await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
				emu.injectFault({ route: 'any', type: 'status', status: 500 });
				emu.reset();
				expect(
					emu.requests === requests && emu.callbacks === callbacks && emu.tasks === tasks,
				).toBe(true);
				expect([requests.length, callbacks.length, tasks.size]).toEqual([0, 0, 0]);
				await sleep(200);
				expect(receiver.received.length).toBe(0);
				expect((await getTask(emu, 'x')).status).toBe(404); // the fault is gone too
			});
		} finally {
			await receiver.close();
		}
	});

	test('waitFor: resolves with the truthy value, rejects on timeout and on predicate errors', async () => {
		useFakeClock(); // waitFor polls every 20 ms: fake time makes its timeout exact and instant
		await withEmulator({}, async (emu) => {
			let n = 0;
			const done = emu.waitFor(() => ++n >= 3 && 'done');
			await jest.advanceTimersByTimeAsync(40);
			expect(await done).toBe('done');
			const started = Date.now();
			const timedOut = expect(emu.waitFor(() => false, 100)).rejects.toThrow(/within 100 ms/);
			await jest.advanceTimersByTimeAsync(100);
			await timedOut;
			expect(Date.now() - started).toBe(100);
			await expect(
				emu.waitFor(() => {
					throw new Error('boom');
				}),
			).rejects.toThrow(/boom/);
			expect(await emu.waitFor((e) => e === emu)).toBe(true);
		});
	});

	test('stop() is prompt with open keep-alive connections and a hanging callback', async () => {
		const receiver = await startReceiver(['hang']);
		try {
			const emu = createEmulator({ latencyMs: 10 });
			await emu.start();
			await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
			await emu.waitFor(() => receiver.received.length === 1);
			const agent = new http.Agent({ keepAlive: true });
			await new Promise((resolve) =>
				http.get(`${emu.baseUrl}/files/large/10.mp4`, { agent }, (res) =>
					res.resume().on('end', resolve),
				),
			);
			const started = Date.now();
			await emu.stop();
			expect(Date.now() - started).toBeLessThan(500);
			agent.destroy();
		} finally {
			await receiver.close();
		}
	});

	test('a process exits on its own after stop(), even with pending task and retry timers', async () => {
		const script = `
			const { createEmulator } = require(${JSON.stringify(SERVER_JS)});
			(async () => {
				const emu = createEmulator({ latencyMs: 60000, callbackRetryDelayMs: 60000 });
				await emu.start();
				const post = (prompt) => fetch(emu.baseUrl + '/api/v1/task/submit', { method: 'POST',
					headers: { authorization: 'Bearer ' + emu.apiKey },
					body: JSON.stringify({ model: 'veo3', input: { prompt }, callBackUrl: 'http://127.0.0.1:1/hook' }) });
				await post('slow task');
				await post('mock:latency=0');
				await emu.waitFor(() => emu.callbacks.length === 1);
				await emu.stop();
				process.stdout.write('stopped');
			})();`;
		const started = Date.now();
		const { exited } = runNode(['-e', script]);
		const result = await waitForExit(exited, 5000, 'child process');
		expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 }); // stderr shown on failure
		expect(result.stdout).toBe('stopped');
		expect(Date.now() - started).toBeLessThan(5000);
	});
});
