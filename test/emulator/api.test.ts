/** /api/v1 over real HTTP: auth, the request log, 404s for unknown routes, and the error envelopes. */
import {
	call,
	cancel,
	DEFAULT_API_KEY,
	expectEmulatorSilent,
	getTask,
	submit,
	submitOk,
	withEmulator,
} from './fixtures';

expectEmulatorSilent();

describe('emulator /api/v1', () => {
	test('auth: missing/wrong key -> 401 envelope, logged as unauthorized, key never echoed', async () => {
		await withEmulator({}, async (emu) => {
			for (const key of [null, 'wrong-key']) {
				const res = await call(emu, 'GET', '/api/v1/task/abc', { key });
				expect(res.status).toBe(401);
				expect(res.json).toEqual({ code: 401, msg: 'unauthorized' });
			}
			const basic = await fetch(`${emu.baseUrl}/api/v1/nope`, {
				headers: { authorization: `Basic ${emu.apiKey}` },
			});
			expect(basic.status).toBe(401);
			const unauthSubmit = await call(emu, 'POST', '/api/v1/task/submit', {
				key: null,
				body: { model: 'veo3', input: { prompt: 'x' } },
			});
			expect(unauthSubmit.status).toBe(401);
			expect(emu.tasks.size).toBe(0);
			const ok = await getTask(emu, 'abc');
			expect(ok.status).toBe(404);
			expect(emu.requests.map((r) => r.authorized)).toEqual([false, false, false, false, true]);
			expect(emu.submitCount()).toBe(1);
			expect(JSON.stringify(emu.requests)).not.toContain(emu.apiKey);
		});
		await withEmulator({ apiKey: 'custom-key' }, async (emu) => {
			expect((await getTask(emu, 'x')).status).toBe(404);
			expect((await call(emu, 'GET', '/api/v1/task/x', { key: DEFAULT_API_KEY })).status).toBe(401);
		});
	});

	test('submit: invalid JSON and non-object bodies -> 400', async () => {
		await withEmulator({}, async (emu) => {
			const bad = await call(emu, 'POST', '/api/v1/task/submit', { body: '{oops' });
			expect(bad.status).toBe(400);
			expect(bad.json).toEqual({ code: 400, msg: 'invalid JSON body' });
			expect(emu.requests[0].body).toBe('{oops');
			const empty = await call(emu, 'POST', '/api/v1/task/submit');
			expect(empty.json).toEqual({ code: 400, msg: 'invalid JSON body' });
			expect(emu.requests[1].body).toBeNull();
			const array = await call(emu, 'POST', '/api/v1/task/submit', { body: [1] });
			expect(array.json).toEqual({ code: 400, msg: 'request body must be a JSON object' });
			expect(emu.tasks.size).toBe(0);
		});
	});

	test('routing: 404 envelopes; request log shape', async () => {
		await withEmulator({ latencyMs: 60_000 }, async (emu) => {
			const id = await submitOk(emu, 'veo3', { prompt: 'p' });
			expect((await getTask(emu, 'missing')).json).toEqual({ code: 404, msg: 'task not found' });
			expect((await getTask(emu, 'missing')).status).toBe(404);
			const unknownRoutes = [
				['GET', '/api/v1/models'],
				['PUT', '/api/v1/task/submit'],
				['DELETE', `/api/v1/task/${id}`],
				['GET', '/api/v1'],
			];
			for (const [method, urlPath] of unknownRoutes) {
				const res = await call(emu, method, urlPath);
				expect({ route: `${method} ${urlPath}`, status: res.status }).toEqual({
					route: `${method} ${urlPath}`,
					status: 404,
				});
				expect(res.json).toEqual({ code: 404, msg: 'not found' });
			}
			await getTask(emu, `${id}?verbose=1`);
			await cancel(emu, id);
			const log = emu.requests;
			expect(log.map((r) => r.route)).toEqual([
				'submit',
				'get',
				'get',
				'unknown',
				'unknown',
				'unknown',
				'unknown',
				'get',
				'cancel',
			]);
			expect(log[0].body).toEqual({ model: 'veo3', input: { prompt: 'p' } });
			expect(log[0].taskId).toBeUndefined();
			expect(log[7].taskId).toBe(id);
			expect(log[7].path).toBe(`/api/v1/task/${id}`);
			expect(log[7].body).toBeNull();
			expect([log[8].method, log[8].taskId]).toEqual(['POST', id]);
			for (const entry of log) {
				expect(entry.authorized).toBe(true);
				expect(typeof entry.at).toBe('number');
			}
			expect(emu.submitCount()).toBe(1);
		});
	});

	test('httpStatusMirrorsCode: false -> error envelopes travel with HTTP 200', async () => {
		await withEmulator({ httpStatusMirrorsCode: false }, async (emu) => {
			const unauthorized = await call(emu, 'GET', '/api/v1/task/x', { key: null });
			expect([unauthorized.status, unauthorized.json]).toEqual([
				200,
				{ code: 401, msg: 'unauthorized' },
			]);
			const invalid = await submit(emu, 'veo3', {});
			expect([invalid.status, invalid.json.code]).toEqual([200, 400]);
			const moderated = await submit(emu, 'veo3', { prompt: 'mock:moderation' });
			expect([moderated.status, moderated.json.code, moderated.json.data.flagged]).toEqual([
				200,
				400,
				true,
			]);
			const missing = await getTask(emu, 'x');
			expect([missing.status, missing.json]).toEqual([200, { code: 404, msg: 'task not found' }]);
			emu.injectFault({ route: 'get', type: 'status', status: 429 });
			expect((await getTask(emu, 'x')).status).toBe(429); // transport faults keep their real status
		});
	});
});
