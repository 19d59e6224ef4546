/** Driving the emulator: finishTask, deliverCallback, configure, and the same through the HTTP control API. */
import {
	expectEmulatorSilent,
	sleep,
	startReceiver,
	submit,
	submitOk,
	withEmulator,
	type Json,
} from './fixtures';

expectEmulatorSilent();

describe('emulator control', () => {
	test('finishTask, deliverCallback and configure: a test ends tasks and replays callbacks; reset() restores options', async () => {
		const receiver = await startReceiver([409]);
		try {
			await withEmulator({ callbackRetryDelayMs: 10 }, async (emu) => {
				emu.configure({ callbackRetries: 0 });
				expect(() => emu.configure({ apiKey: 'x' })).toThrow(/cannot be changed/);
				const id = await submitOk(
					emu,
					'veo3',
					{ prompt: 'p mock:never' },
					{ callBackUrl: receiver.url },
				);
				const ended = emu.finishTask(id, { status: 'FAILURE', reason: 'INSUFFICIENT_POINTS' });
				expect([ended.status, ended.failure_reason]).toEqual(['FAILURE', 'INSUFFICIENT_POINTS']);
				expect(() => emu.finishTask(id)).toThrow(/already ended/);
				await emu.waitFor(() => emu.callbacks.length === 1);
				await sleep(50);
				expect(emu.callbacks.map((c) => c.status)).toEqual([409]); // no retry with callbackRetries 0
				emu.deliverCallback(id);
				await emu.waitFor(() => emu.callbacks.length === 2);
				expect(receiver.received.map((r) => r.body.data.status)).toEqual(['FAILURE', 'FAILURE']);

				const control = async (name: string, body: unknown): Promise<Json> =>
					(
						await fetch(`${emu.baseUrl}/__emulator/${name}`, {
							method: 'POST',
							body: JSON.stringify(body),
						})
					).json();
				const other = await submitOk(emu, 'veo3', { prompt: 'q mock:never' });
				expect(await control('finish', { taskId: other })).toEqual({ ok: true });
				expect(emu.getTask(other)?.status).toBe('SUCCESS');
				expect((await control('finish', { taskId: 'nope' })).ok).toBe(false);
				expect(await control('options', { latencyMs: 5 })).toEqual({ ok: true });
				emu.reset();
				const again = await submitOk(emu, 'veo3', { prompt: 'r' });
				expect(emu.tasks.get(again)?.latencyMs).toBe(3000); // reset() restored latencyMs
			});
		} finally {
			await receiver.close();
		}
	});

	test('control API over HTTP: faults, requests, callbacks, tasks, reset (not logged)', async () => {
		const receiver = await startReceiver();
		try {
			await withEmulator({ latencyMs: 20 }, async (emu) => {
				const control = async (
					method: string,
					name: string,
					body?: unknown,
				): Promise<{ status: number; json: Json }> => {
					const res = await fetch(`${emu.baseUrl}/__emulator/${name}`, {
						method,
						body: body === undefined ? undefined : JSON.stringify(body),
					});
					return { status: res.status, json: await res.json() };
				};
				expect(
					await control('POST', 'faults', { route: 'submit', type: 'status', status: 503 }),
				).toEqual({ status: 200, json: { ok: true } });
				const bad = await control('POST', 'faults', { route: 'submit', type: 'nope' });
				expect(bad.status).toBe(400);
				expect(bad.json.ok).toBe(false);
				expect((await submit(emu, 'veo3', { prompt: 'p' })).status).toBe(503);
				const id = await submitOk(
					emu,
					'veo3',
					{ prompt: 'p' },
					{ callBackUrl: receiver.url, user_id: 'u9' },
				);
				await emu.waitFor(() => emu.callbacks.length === 1);
				const requests = await control('GET', 'requests');
				expect(requests.json).toEqual(JSON.parse(JSON.stringify(emu.requests)));
				expect(requests.json.length).toBe(2);
				expect((await control('GET', 'callbacks')).json).toEqual(
					JSON.parse(JSON.stringify(emu.callbacks)),
				);
				const tasks: Json[] = (await control('GET', 'tasks')).json;
				expect(tasks.map((t) => [t.taskId, t.status, t.callBackUrl, t.user_id])).toEqual([
					[id, 'SUCCESS', receiver.url, 'u9'],
				]);
				expect((await control('GET', 'nope')).status).toBe(404);
				expect(await control('POST', 'reset')).toEqual({ status: 200, json: { ok: true } });
				expect([emu.requests.length, emu.callbacks.length, emu.tasks.size]).toEqual([0, 0, 0]);
			});
		} finally {
			await receiver.close();
		}
	});
});
