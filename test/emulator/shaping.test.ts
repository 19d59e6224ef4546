/**
 * Shaping knobs (shaping.js), so benchmarks can play a hosted API: API latency ± jitter, the rate limit,
 * changing the knobs at run time, and the bookkeeping benchmarks read (request status, submitCount,
 * tasksCreated). The download rate is checked in files.test.ts. Exact timing checks run on the fake clock;
 * real-time ones keep wide margins.
 */
import {
	answered,
	call,
	cancel,
	countingGet,
	createEmulator,
	expectEmulatorSilent,
	getTask,
	runNode,
	SERVER_JS,
	sleep,
	submit,
	submitOk,
	timedGet,
	track,
	useFakeClock,
	useRealTimersAfterEach,
	waitForExit,
	waitUntil,
	withEmulator,
	type Json,
	type TestEmulator,
} from './fixtures';

expectEmulatorSilent();
useRealTimersAfterEach();

let random: jest.SpyInstance | undefined;
afterEach(() => {
	random?.mockRestore();
	random = undefined;
});
/** Makes Math.random, the jitter's source, return value. */
function fixRandom(value: number): void {
	random ??= jest.spyOn(Math, 'random');
	random.mockReturnValue(value);
}

/** Under the fake clock: moves it by ms, then checks (in real time) that none of the calls has been answered. */
async function advanceAndExpectPending(ms: number, ...calls: Array<{ settled: boolean }>) {
	jest.advanceTimersByTime(ms);
	await sleep(30); // an answer already sent would arrive in this time
	expect(calls.map((c) => c.settled)).toEqual(calls.map(() => false));
}

async function control(emu: TestEmulator, name: string, body?: unknown) {
	const res = await fetch(`${emu.baseUrl}/__emulator/${name}`, {
		method: 'POST',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, json: (await res.json()) as Json };
}

const statuses = (emu: TestEmulator) => emu.requests.map((r) => r.status);

describe('emulator API latency', () => {
	test('computed at arrival, answered apiLatencyMs ± apiJitterMs later, error answers too (fake clock, exact)', async () => {
		useFakeClock();
		await withEmulator({ apiLatencyMs: 300, apiJitterMs: 100, latencyMs: 1000 }, async (emu) => {
			fixRandom(0); // the earliest: L − J
			const submitted = track(submit(emu, 'veo3', { prompt: 'p' }));
			await waitUntil(() => emu.requests.length === 1);
			expect(emu.tasksCreated()).toBe(1); // processed on arrival, before the answer
			await advanceAndExpectPending(199, submitted);
			jest.advanceTimersByTime(1);
			const id = (await answered(submitted)).json.data.taskId;

			// The latest (random → 1): L + J. A get reads the task as it is on arrival.
			fixRandom(0.999_999);
			const read = track(getTask(emu, id)); // arrives at age 200 ms: PROCESSING
			await waitUntil(() => emu.requests.length === 2);
			await advanceAndExpectPending(399, read);
			jest.advanceTimersByTime(1);
			expect((await answered(read)).json.data.status).toBe('PROCESSING');
			expect(emu.getTask(id)?.status).toBe('SUBMITTED'); // age 600 ms when it was sent

			// 401, 404 and fault answers wait as long; each counts as in flight until it is sent.
			fixRandom(0.5); // exactly L
			emu.injectFault({ route: 'cancel', type: 'status', status: 503 });
			const calls = [
				track(call(emu, 'GET', `/api/v1/task/${id}`, { key: null })),
				track(getTask(emu, 'missing')),
				track(cancel(emu, id)),
			];
			await waitUntil(() => emu.requests.length === 5);
			expect(emu.peakInFlight()).toBe(3);
			await advanceAndExpectPending(299, ...calls);
			jest.advanceTimersByTime(1);
			const answers = await Promise.all(calls.map(answered));
			expect(answers.map((a) => a.status)).toEqual([401, 404, 503]);

			// A jitter larger than the latency is clamped at 0: answered at once.
			emu.configure({ apiLatencyMs: 0, apiJitterMs: 100 });
			fixRandom(0);
			expect((await getTask(emu, id)).status).toBe(200);
		});
	});

	test('over real HTTP, a sample of answers each comes within [L − J, L + J]', async () => {
		await withEmulator({ apiLatencyMs: 150, apiJitterMs: 50 }, async (emu) => {
			const timed = await Promise.all(
				Array.from({ length: 8 }, async () => {
					const started = Date.now();
					const res = await getTask(emu, 'x');
					return { status: res.status, ms: Date.now() - started };
				}),
			);
			for (const { status, ms } of timed) {
				expect(status).toBe(404);
				expect(ms).toBeGreaterThanOrEqual(98); // a timer may fire up to 1 ms early
				expect(ms).toBeLessThan(200 + 400); // generous: a loaded machine answers late, never early
			}
			expect(emu.peakInFlight()).toBe(8);
		});
	});

	test('faults on top of the latency: delay adds, reset drops and slow-body starts after it, hold waits for release()', async () => {
		useFakeClock();
		await withEmulator({ apiLatencyMs: 100, latencyMs: 60_000 }, async (emu) => {
			const submitted = track(submit(emu, 'veo3', { prompt: 'p' }));
			await waitUntil(() => emu.requests.length === 1);
			jest.advanceTimersByTime(100);
			const id = (await answered(submitted)).json.data.taskId;

			emu.injectFault({ route: 'get', type: 'delay', delayMs: 50 });
			const delayed = track(getTask(emu, id));
			await waitUntil(() => emu.requests.length === 2);
			await advanceAndExpectPending(149, delayed);
			jest.advanceTimersByTime(1);
			expect((await answered(delayed)).status).toBe(200);

			emu.injectFault({ route: 'get', type: 'reset' });
			const dropped = track(getTask(emu, id));
			await waitUntil(() => emu.requests.length === 3);
			await advanceAndExpectPending(99, dropped);
			jest.advanceTimersByTime(1);
			await expect(answered(dropped)).rejects.toMatchObject({ name: 'TypeError' });

			emu.injectFault({ route: 'get', type: 'slow-body', delayMs: 20 });
			const slow = track(getTask(emu, id));
			await waitUntil(() => emu.requests.length === 4);
			await advanceAndExpectPending(99, slow);
			jest.advanceTimersByTime(1); // headers now, the body over 20 ms
			await sleep(30);
			jest.advanceTimersByTime(20);
			expect((await answered(slow)).json.data.taskId).toBe(id);

			emu.injectFault({ route: 'get', type: 'hold' });
			const held = track(getTask(emu, id));
			await waitUntil(() => emu.heldCount() === 1);
			expect(emu.release()).toBe(1); // sent at once, no latency on top
			expect((await answered(held)).status).toBe(200);
			expect(statuses(emu)).toEqual([200, 200, null, 200, 200]);
		});
	});
});

describe('emulator rate limit', () => {
	test('a burst over the limit: exactly the extra requests get 429 + Retry-After, create nothing; tokens refill up to the burst', async () => {
		useFakeClock(); // the clock stands still during a burst, so the counts are exact
		await withEmulator({ rateLimit: 5, latencyMs: 60_000 }, async (emu) => {
			const burst = await Promise.all(
				Array.from({ length: 8 }, (_, i) => submit(emu, 'veo3', { prompt: `p${i}` })),
			);
			const ok = burst.filter((r) => r.status === 200);
			const limited = burst.filter((r) => r.status === 429);
			expect([ok.length, limited.length]).toEqual([5, 3]);
			for (const res of limited) {
				expect(res.json).toEqual({ code: 429, msg: 'rate limited' });
				expect(res.headers.get('retry-after')).toBe('1');
			}
			expect([emu.tasks.size, emu.tasksCreated(), emu.submitCount()]).toEqual([5, 5, 8]);
			expect([...statuses(emu)].sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);

			// 5 per second: one token every 200 ms, shared by every route.
			const id = ok[0].json.data.taskId;
			jest.advanceTimersByTime(199);
			expect((await getTask(emu, id)).status).toBe(429);
			jest.advanceTimersByTime(1);
			expect((await getTask(emu, id)).status).toBe(200);
			expect((await cancel(emu, id)).status).toBe(429);
			expect((await call(emu, 'GET', '/api/v1/models')).status).toBe(429);

			// Never more than the burst, however long it was quiet.
			jest.advanceTimersByTime(10_000);
			const later = await Promise.all(Array.from({ length: 7 }, () => getTask(emu, id)));
			expect(later.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429]);
		});
	});

	test('Retry-After is the whole seconds until a token is free, at least 1; a rate below 1 still allows one request', async () => {
		useFakeClock();
		await withEmulator({ rateLimit: 0.25 }, async (emu) => {
			expect((await getTask(emu, 'x')).status).toBe(404);
			const retryAfter = async () => {
				const res = await getTask(emu, 'x');
				expect(res.status).toBe(429);
				return res.headers.get('retry-after');
			};
			expect(await retryAfter()).toBe('4');
			jest.advanceTimersByTime(2500);
			expect(await retryAfter()).toBe('2');
			jest.advanceTimersByTime(1499);
			expect(await retryAfter()).toBe('1');
			jest.advanceTimersByTime(1);
			expect((await getTask(emu, 'x')).status).toBe(404);
		});
	});

	test('order: 401 before the limit (uses no token), 429 before faults (uses none up)', async () => {
		useFakeClock();
		await withEmulator({ rateLimit: 2 }, async (emu) => {
			const unauthorized = () => call(emu, 'GET', '/api/v1/task/x', { key: null });
			for (let i = 0; i < 3; i++) expect((await unauthorized()).status).toBe(401);
			emu.injectFault({ route: 'get', type: 'status', status: 500 });
			expect((await getTask(emu, 'x')).status).toBe(500); // token 1, and the fault
			expect((await getTask(emu, 'x')).status).toBe(404); // token 2
			emu.injectFault({ route: 'get', type: 'status', status: 503 });
			expect((await getTask(emu, 'x')).status).toBe(429); // the fault stays queued
			expect((await unauthorized()).status).toBe(401); // still 401 with an empty bucket
			jest.advanceTimersByTime(500);
			expect((await getTask(emu, 'x')).status).toBe(503);
			expect(statuses(emu)).toEqual([401, 401, 401, 500, 404, 429, 401, 503]);
		});
		await withEmulator({ rateLimit: 1, httpStatusMirrorsCode: false }, async (emu) => {
			await getTask(emu, 'x');
			const limited = await getTask(emu, 'x');
			expect([limited.status, limited.json.code]).toEqual([429, 429]); // always the real status
		});
	});
});

describe('emulator rate limit kinds (rateLimitKind)', () => {
	const burst = async (emu: TestEmulator, count: number) =>
		(await Promise.all(Array.from({ length: count }, () => getTask(emu, 'x')))).map(
			(r) => r.status,
		);
	const count = (list: number[], status: number) => list.filter((s) => s === status).length;

	test('sliding-window: at most rateLimit in any 1000 ms, counted from each accepted request', async () => {
		useFakeClock();
		jest.setSystemTime(Date.parse('2026-11-29T12:00:00.500Z'));
		await withEmulator({ rateLimit: 3, rateLimitKind: 'sliding-window' }, async (emu) => {
			expect(count(await burst(emu, 2), 404)).toBe(2); // at .500
			jest.advanceTimersByTime(600);
			const second = await burst(emu, 3); // at 1.100: one place left
			expect([count(second, 404), count(second, 429)]).toEqual([1, 2]);
			expect(emu.requests.at(-1)?.status).toBe(429);
			// The two from .500 leave the window at 1.500, not at the turn of the second (fixed-window).
			jest.advanceTimersByTime(399);
			expect((await getTask(emu, 'x')).status).toBe(429);
			jest.advanceTimersByTime(1);
			expect(count(await burst(emu, 3), 404)).toBe(2);
		});
	});

	test('fixed-window: at most rateLimit in each calendar second, so twice that across a boundary', async () => {
		useFakeClock();
		jest.setSystemTime(Date.parse('2026-11-29T12:00:00.900Z'));
		await withEmulator({ rateLimit: 3, rateLimitKind: 'fixed-window' }, async (emu) => {
			const late = await burst(emu, 4);
			expect([count(late, 404), count(late, 429)]).toEqual([3, 1]);
			const limited = await getTask(emu, 'x');
			expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
			jest.advanceTimersByTime(100); // 12:00:01.000, a new second
			expect(count(await burst(emu, 4), 404)).toBe(3);
		});
	});

	test('in-flight: at most rateLimit accepted requests unanswered at once, whatever the rate', async () => {
		useFakeClock();
		await withEmulator(
			{ rateLimit: 2, rateLimitKind: 'in-flight', apiLatencyMs: 1000 },
			async (emu) => {
				const slow = [getTask(emu, 'x'), getTask(emu, 'x')];
				await waitUntil(() => emu.requests.length === 2);
				const third = getTask(emu, 'x'); // a 429 comes after the latency too
				await waitUntil(() => emu.requests.length === 3);
				jest.advanceTimersByTime(1000);
				expect((await Promise.all([...slow, third])).map((r) => r.status)).toEqual([404, 404, 429]);
				const again = getTask(emu, 'x');
				await waitUntil(() => emu.requests.length === 4);
				jest.advanceTimersByTime(1000);
				expect((await again).status).toBe(404);
			},
		);
	});

	test('rateLimitKind is checked, and changing it starts the limit afresh', async () => {
		expect(() => createEmulator({ rateLimitKind: 'leaky' as 'in-flight' })).toThrow(
			/rateLimitKind must be one of token-bucket, sliding-window, fixed-window, in-flight/,
		);
		useFakeClock();
		await withEmulator({ rateLimit: 1 }, async (emu) => {
			expect(await burst(emu, 2)).toEqual(expect.arrayContaining([404, 429]));
			emu.configure({ rateLimitKind: 'fixed-window' });
			jest.advanceTimersByTime(1000);
			expect((await getTask(emu, 'x')).status).toBe(404);
		});
	});
});

describe('emulator shaping at run time', () => {
	test('configure() and POST /__emulator/options change the knobs, check them, and reset() restores them', async () => {
		expect(() => createEmulator({ rateLimit: 0 })).toThrow(/rateLimit must be a positive number/);
		expect(() => createEmulator({ apiLatencyMs: -1 })).toThrow(TypeError);
		await withEmulator({}, async (emu) => {
			for (const bad of [
				{ apiLatencyMs: -5 },
				{ apiJitterMs: 'x' },
				{ rateLimit: 0 },
				{ downloadBytesPerSecond: Infinity },
			]) {
				expect(() => emu.configure(bad)).toThrow(TypeError);
			}
			// Checked before anything changes.
			expect(() => emu.configure({ rateLimit: 1, apiLatencyMs: -1 })).toThrow(/apiLatencyMs/);
			expect((await getTask(emu, 'x')).status).toBe(404);
			expect((await getTask(emu, 'x')).status).toBe(404);

			expect(
				await control(emu, 'options', { rateLimit: 1, downloadBytesPerSecond: 20_000 }),
			).toEqual({ status: 200, json: { ok: true } });
			const bad = await control(emu, 'options', { downloadBytesPerSecond: -1 });
			expect([bad.status, bad.json.ok, bad.json.error]).toEqual([
				400,
				false,
				'downloadBytesPerSecond must be a positive number, or null for none',
			]);
			expect((await getTask(emu, 'x')).status).toBe(404); // a new rate starts with a full bucket
			expect((await getTask(emu, 'x')).status).toBe(429);
			expect((await control(emu, 'options', {})).status).toBe(200); // the control API is not limited
			const paced = await timedGet(`${emu.baseUrl}/files/large/4000.mp4`);
			expect(paced.endAfter).toBeGreaterThanOrEqual(198);
			emu.configure({ apiLatencyMs: 100, rateLimit: null });
			const started = Date.now();
			expect((await getTask(emu, 'x')).status).toBe(404);
			expect(Date.now() - started).toBeGreaterThanOrEqual(98);

			expect(await control(emu, 'reset')).toEqual({ status: 200, json: { ok: true } });
			const quick = Date.now();
			const after = await Promise.all(Array.from({ length: 5 }, () => getTask(emu, 'x')));
			expect(after.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
			expect((await timedGet(`${emu.baseUrl}/files/large/100000.mp4`)).bytes).toBe(100_000);
			expect(Date.now() - quick).toBeLessThan(300);
		});
		await withEmulator({ rateLimit: 1 }, async (emu) => {
			emu.configure({ rateLimit: 100 });
			emu.reset(); // back to 1 per second, with a full bucket
			expect((await getTask(emu, 'x')).status).toBe(404);
			expect((await getTask(emu, 'x')).status).toBe(429);
		});
	});

	test('reset() lets answers and downloads under way finish on schedule; stop() cuts them at once', async () => {
		useFakeClock();
		await withEmulator({ apiLatencyMs: 200, downloadBytesPerSecond: 1000 }, async (emu) => {
			const submitted = track(submit(emu, 'veo3', { prompt: 'p' }));
			emu.injectFault({ route: 'get', type: 'delay', delayMs: 300 }); // used by the get below
			const delayed = track(getTask(emu, 'x'));
			const download = countingGet(`${emu.baseUrl}/files/large/100.mp4`);
			await waitUntil(() => emu.requests.length === 2 && emu.fileRequests.length === 1);
			emu.reset();
			expect([emu.tasks.size, emu.requests.length]).toEqual([0, 0]);
			await advanceAndExpectPending(199, submitted, delayed);
			jest.advanceTimersByTime(1);
			expect((await answered(submitted)).json.code).toBe(0); // the answer computed before reset()
			await advanceAndExpectPending(299, delayed);
			jest.advanceTimersByTime(1);
			expect((await answered(delayed)).status).toBe(404);
			jest.advanceTimersByTime(100); // 100 bytes at 1000 B/s: done 100 ms after it started
			await answered(download.done);
			expect(download.bytes()).toBe(100);
		});

		jest.useRealTimers();
		const emu = createEmulator({ apiLatencyMs: 60_000, downloadBytesPerSecond: 10 });
		await emu.start();
		const pending = track(getTask(emu, 'x'));
		const download = track(timedGet(`${emu.baseUrl}/files/large/1000.mp4`));
		await emu.waitFor(() => emu.requests.length === 1 && emu.fileRequests.length === 1);
		const started = Date.now();
		await emu.stop();
		expect(Date.now() - started).toBeLessThan(500);
		await expect(answered(pending)).rejects.toMatchObject({ name: 'TypeError' });
		await answered(download).catch(() => undefined); // cut: an error or a short body
		expect(download.settled).toBe(true);
	});

	test('a process exits on its own after stop() with delayed answers and paced downloads under way', async () => {
		const script = `
			const { createEmulator } = require(${JSON.stringify(SERVER_JS)});
			(async () => {
				const emu = createEmulator({ apiLatencyMs: 60000, downloadBytesPerSecond: 10 });
				await emu.start();
				fetch(emu.baseUrl + '/api/v1/task/x', { headers: { authorization: 'Bearer ' + emu.apiKey } }).catch(() => {});
				fetch(emu.baseUrl + '/files/large/100000.mp4').then((r) => r.arrayBuffer()).catch(() => {});
				await emu.waitFor(() => emu.requests.length === 1 && emu.fileRequests.length === 1);
				await emu.stop();
				process.stdout.write('stopped');
			})();`;
		const { exited } = runNode(['-e', script]);
		const result = await waitForExit(exited, 5000, 'child process');
		expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 }); // stderr shown on failure
		expect(result.stdout).toBe('stopped');
	});
});

describe('emulator bookkeeping', () => {
	test('every request records the HTTP status it was answered with; submitCount() and tasksCreated()', async () => {
		await withEmulator({ latencyMs: 60_000, rateLimit: 100 }, async (emu) => {
			const id = await submitOk(emu, 'veo3', { prompt: 'p' }); // 200
			await submit(emu, 'veo3', {}); // 400
			await submit(emu, 'veo3', { prompt: 'mock:moderation' }); // 400
			await call(emu, 'POST', '/api/v1/task/submit', { key: null, body: {} }); // 401
			await getTask(emu, 'missing'); // 404
			emu.injectFault({ route: 'submit', type: 'status', status: 503 });
			await submit(emu, 'veo3', { prompt: 'p' }); // 503
			emu.injectFault({ route: 'get', type: 'envelope', code: 500 });
			await getTask(emu, id); // 200 (the error is in the envelope)
			emu.injectFault({ route: 'submit', type: 'reset' });
			await submit(emu, 'veo3', { prompt: 'p' }).catch(() => undefined); // null, the task is created
			emu.injectFault({ route: 'cancel', type: 'slow-body', delayMs: 10 });
			await cancel(emu, id); // 200
			await cancel(emu, id); // 400: already cancelled
			emu.configure({ rateLimit: 1 });
			await getTask(emu, id); // 200 (a new, full bucket)
			await submit(emu, 'veo3', { prompt: 'p' }); // 429
			expect(statuses(emu)).toEqual([200, 400, 400, 401, 404, 503, 200, null, 200, 400, 200, 429]);
			expect(emu.submitCount()).toBe(7); // every submit request, limited and failed ones too
			expect(emu.tasksCreated()).toBe(2); // the first, and the reset one
			expect(emu.tasksCreated()).toBe(emu.tasks.size);
			emu.reset();
			expect([emu.submitCount(), emu.tasksCreated()]).toEqual([0, 0]);
		});
		await withEmulator({ httpStatusMirrorsCode: false }, async (emu) => {
			await getTask(emu, 'missing');
			await call(emu, 'GET', '/api/v1/task/x', { key: null });
			expect(statuses(emu)).toEqual([200, 200]); // the HTTP status, not the envelope's code
		});
	});
});
