/** Injected faults over real HTTP: error statuses, lost connections, slow bodies, error envelopes, late and held answers. */
import {
	call,
	cancel,
	expectEmulatorSilent,
	getTask,
	submit,
	submitOk,
	timedGet,
	withEmulator,
} from './fixtures';

expectEmulatorSilent();

describe('emulator faults', () => {
	test('status: HTTP status + Retry-After, no task, count and route respected', async () => {
		await withEmulator({ latencyMs: 60_000 }, async (emu) => {
			emu.injectFault({ route: 'submit', type: 'status', status: 429, retryAfter: 7 });
			emu.injectFault({ route: 'get', type: 'status', status: 503, count: 2 });
			const limited = await submit(emu, 'veo3', { prompt: 'p' });
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('7');
			expect(limited.json).toEqual({ code: 429, msg: 'rate limited' });
			expect(emu.tasks.size).toBe(0);
			const id = await submitOk(emu, 'veo3', { prompt: 'p' });
			for (let i = 0; i < 2; i++) {
				const res = await getTask(emu, id);
				expect(res.status).toBe(503);
				expect(res.headers.get('retry-after')).toBeNull();
				expect(res.json).toEqual({ code: 503, msg: 'service unavailable' });
			}
			expect((await getTask(emu, id)).status).toBe(200);
			emu.injectFault({ route: 'any', type: 'status', status: 500 });
			emu.injectFault({ route: 'cancel', type: 'status', status: 502 });
			// An unauthorized request does not consume a fault.
			expect((await call(emu, 'POST', `/api/v1/task/${id}/cancel`, { key: null })).status).toBe(
				401,
			);
			expect((await cancel(emu, id)).json).toEqual({ code: 500, msg: 'internal error' });
			expect((await cancel(emu, id)).json).toEqual({ code: 502, msg: 'bad gateway' });
			expect(emu.getTask(id)?.status).toBe('PENDING');
			expect(emu.submitCount()).toBe(2);
			expect(() => emu.injectFault({ type: 'explode' })).toThrow(/fault\.type must be one of/);
			expect(() => emu.injectFault({ route: 'files', type: 'reset' })).toThrow(/fault\.route/);
			expect(() => emu.injectFault({ type: 'status', status: 200 })).toThrow(/fault\.status/);
		});
	});

	test('status with processed: the route runs (a submit makes its task), then the status is answered', async () => {
		await withEmulator({ latencyMs: 60_000 }, async (emu) => {
			emu.injectFault({ route: 'submit', type: 'status', status: 500, processed: true });
			const failed = await submit(emu, 'veo3', { prompt: 'p' });
			expect(failed.status).toBe(500);
			expect(failed.json).toEqual({ code: 500, msg: 'internal error' });
			expect(emu.tasks.size).toBe(1);
			expect(() => emu.injectFault({ type: 'envelope', code: 1, processed: true })).toThrow(
				/processed/,
			);
		});
	});

	test('reset: submit creates the task then drops the connection; get/cancel just drop', async () => {
		await withEmulator({ latencyMs: 60_000 }, async (emu) => {
			emu.injectFault({ route: 'submit', type: 'reset' });
			// fetch's TypeError comes from outside jest's realm, so it is matched by name, not by class.
			await expect(submit(emu, 'veo3', { prompt: 'p' })).rejects.toMatchObject({
				name: 'TypeError',
			});
			expect(emu.tasks.size).toBe(1);
			const [id] = emu.tasks.keys();
			emu.injectFault({ route: 'get', type: 'reset' });
			await expect(getTask(emu, id)).rejects.toMatchObject({ name: 'TypeError' });
			emu.injectFault({ route: 'cancel', type: 'reset' });
			await expect(cancel(emu, id)).rejects.toMatchObject({ name: 'TypeError' });
			expect(emu.getTask(id)?.status).toBe('PENDING');
			expect((await getTask(emu, id)).status).toBe(200);
		});
	});

	test('slow-body: headers at once, body spread over delayMs', async () => {
		await withEmulator({ latencyMs: 60_000 }, async (emu) => {
			const id = await submitOk(emu, 'veo3', { prompt: 'p' });
			emu.injectFault({ route: 'get', type: 'slow-body', delayMs: 500 });
			const { res, headersAfter, endAfter, chunks } = await timedGet(
				`${emu.baseUrl}/api/v1/task/${id}`,
				{
					authorization: `Bearer ${emu.apiKey}`,
				},
			);
			expect(res.statusCode).toBe(200);
			expect(headersAfter).toBeLessThan(200);
			expect(endAfter).toBeGreaterThanOrEqual(450);
			expect(chunks.length).toBeGreaterThanOrEqual(5);
			const body = JSON.parse(Buffer.concat(chunks).toString());
			expect(body.data.taskId).toBe(id);
		});
	});

	test('envelope: HTTP 200 carrying an error code; oldest matching fault first', async () => {
		await withEmulator({}, async (emu) => {
			emu.injectFault({ route: 'any', type: 'envelope', code: 500, msg: 'first' });
			emu.injectFault({ route: 'get', type: 'envelope', code: 402, msg: 'second' });
			for (const expected of [
				{ code: 500, msg: 'first' },
				{ code: 402, msg: 'second' },
			]) {
				const res = await getTask(emu, 'x');
				expect([res.status, res.json]).toEqual([200, expected]);
			}
			expect((await getTask(emu, 'x')).status).toBe(404);
		});
	});

	test('delay and hold: answered later with the state at arrival; release() and reset() send held answers', async () => {
		await withEmulator({}, async (emu) => {
			const id = await submitOk(emu, 'veo3', { prompt: 'p mock:never' });
			emu.injectFault({ route: 'get', type: 'delay', delayMs: 300 });
			const t0 = Date.now();
			const delayed = await getTask(emu, id);
			expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
			expect(delayed.json.data.taskId).toBe(id);

			emu.injectFault({ route: 'get', type: 'hold', count: 2 });
			const first = getTask(emu, id);
			await emu.waitFor(() => emu.heldCount() === 1);
			emu.finishTask(id);
			expect(emu.release()).toBe(1);
			// A held answer keeps the state it was read in.
			expect((await first).json.data.status).toBe('PENDING');
			const second = getTask(emu, id);
			await emu.waitFor(() => emu.heldCount() === 1);
			emu.reset();
			expect((await second).json.data.status).toBe('SUCCESS');
			expect(() => emu.injectFault({ route: 'get', type: 'delay' })).toThrow(/delayMs/);
		});
	});
});
