/** Callback delivery to a real webhook receiver: one POST per outcome, retries with a doubling delay, timeouts. */
import {
	cancel,
	closedPortUrl,
	expectEmulatorSilent,
	sleep,
	startReceiver,
	submitOk,
	useFakeClock,
	useRealTimersAfterEach,
	waitUntil,
	withEmulator,
} from './fixtures';

expectEmulatorSilent();
useRealTimersAfterEach();

describe('emulator callbacks', () => {
	test('one POST per outcome (success, failure, timeout, cancel) with the GET envelope', async () => {
		const receiver = await startReceiver();
		try {
			await withEmulator({ latencyMs: 60_000 }, async (emu) => {
				const callBackUrl = receiver.url;
				const success = await submitOk(
					emu,
					'seedance-2.0',
					{ prompt: 'p mock:latency=30' },
					{ callBackUrl },
				);
				const failure = await submitOk(
					emu,
					'seedance-2.0',
					{ prompt: 'p mock:latency=30 mock:fail=CONTENT_MODERATION' },
					{ callBackUrl },
				);
				const timeout = await submitOk(
					emu,
					'seedance-2.0',
					{ prompt: 'p mock:latency=30 mock:timeout' },
					{ callBackUrl },
				);
				const cancelled = await submitOk(emu, 'seedance-2.0', { prompt: 'p' }, { callBackUrl });
				const silent = await submitOk(emu, 'seedance-2.0', { prompt: 'p mock:latency=30' }); // no callBackUrl
				await cancel(emu, cancelled);
				await emu.waitFor(() => emu.callbacks.length >= 4);
				await sleep(150); // no duplicates arrive later
				expect(emu.callbacks.length).toBe(4);
				expect(receiver.received.length).toBe(4);
				const byId = Object.fromEntries(receiver.received.map((r) => [r.body.data.taskId, r]));
				expect(Object.keys(byId).sort()).toEqual([success, failure, timeout, cancelled].sort());
				const outcomes = [
					[success, 'SUCCESS'],
					[failure, 'FAILURE'],
					[timeout, 'TIMEOUT'],
					[cancelled, 'CANCELLED'],
				];
				for (const [id, status] of outcomes) {
					const delivery = byId[id];
					expect(delivery.method).toBe('POST');
					expect(delivery.url).toBe('/hook?token=abc');
					expect(delivery.headers['content-type']).toMatch(/^application\/json/);
					expect(delivery.body).toEqual({ code: 0, msg: 'ok', data: emu.getTask(id) });
					expect(delivery.body.data.status).toBe(status);
				}
				expect(byId[failure].body.data.failure_reason).toBe('CONTENT_MODERATION');
				const record = emu.callbacks.find((c) => c.taskId === success);
				expect({ ...record, at: 0 }).toEqual({
					taskId: success,
					url: callBackUrl,
					attempt: 1,
					status: 200,
					answer: 'ok',
					at: 0,
				});
				expect(emu.getTask(silent)?.status).toBe('SUCCESS');
			});
		} finally {
			await receiver.close();
		}
	});

	// The retry schedule is about waiting: on a fake clock the delays are exact, and "nothing more comes" is
	// "no timer is left" instead of a pause. The POSTs are real.
	test('non-2xx is retried with doubling delay, stops after the first 2xx', async () => {
		useFakeClock();
		const receiver = await startReceiver([500, 503, 200]);
		try {
			await withEmulator({ latencyMs: 20, callbackRetryDelayMs: 60 }, async (emu) => {
				const id = await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
				jest.advanceTimersByTime(20); // the task ends: attempt 1
				await waitUntil(() => emu.callbacks.length === 1);
				jest.advanceTimersByTime(60); // attempt 2
				await waitUntil(() => emu.callbacks.length === 2);
				jest.advanceTimersByTime(120); // attempt 3
				await waitUntil(() => emu.callbacks.some((c) => c.status === 200));
				expect(jest.getTimerCount()).toBe(0);
				expect(emu.callbacks.map((c) => [c.taskId, c.attempt, c.status])).toEqual([
					[id, 1, 500],
					[id, 2, 503],
					[id, 3, 200],
				]);
				const [a, b, c] = emu.callbacks.map((x) => x.at);
				expect(b - a).toBe(60);
				expect(c - b).toBe(120);
				expect(receiver.received.length).toBe(3);
			});
		} finally {
			await receiver.close();
		}
	});

	test('network errors retried callbackRetries times, then given up', async () => {
		useFakeClock();
		const url = await closedPortUrl();
		await withEmulator(
			{ latencyMs: 10, callbackRetries: 2, callbackRetryDelayMs: 20 },
			async (emu) => {
				await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: url });
				for (const [wait, attempts] of [
					[10, 1],
					[20, 2],
					[40, 3],
				]) {
					jest.advanceTimersByTime(wait);
					await waitUntil(() => emu.callbacks.length === attempts);
				}
				expect(jest.getTimerCount()).toBe(0); // given up: no further attempt is scheduled
				expect(emu.callbacks.map((c) => c.attempt)).toEqual([1, 2, 3]);
				for (const c of emu.callbacks) {
					expect(c.status).toBeUndefined();
					expect(c.error).toMatch(/ECONNREFUSED/);
					expect(c.url).toBe(url);
				}
			},
		);
	});

	// Real time: the timeout is a socket timeout inside Node's http, which fake timers do not reach.
	test('an endpoint that never answers times out after callbackTimeoutMs', async () => {
		const receiver = await startReceiver(['hang']);
		try {
			await withEmulator(
				{ latencyMs: 10, callbackRetries: 0, callbackTimeoutMs: 150 },
				async (emu) => {
					await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
					const [attempt] = await emu.waitFor(() => emu.callbacks.length > 0 && emu.callbacks);
					expect(attempt.error).toMatch(/no answer within 150 ms/);
					await sleep(200);
					expect(emu.callbacks.length).toBe(1);
				},
			);
		} finally {
			await receiver.close();
		}
	});
});
