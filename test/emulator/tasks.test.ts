/**
 * Task status by age, prompt keywords and cancel. A task's status depends only on its age, so these checks run
 * on a fake clock: exact instead of slept-for, and instant. Requests still go over real HTTP.
 */
import {
	cancel,
	expectEmulatorSilent,
	getTask,
	ISO_UTC,
	SAMPLE_MP4,
	submitOk,
	useFakeClock,
	useRealTimersAfterEach,
	withEmulator,
} from './fixtures';

expectEmulatorSilent();
useRealTimersAfterEach();
beforeEach(() => useFakeClock());

describe('emulator tasks', () => {
	test('status progression by elapsed time, updated_at at each transition, video result served', async () => {
		await withEmulator({ latencyMs: 1000 }, async (emu) => {
			const input = { prompt: 'a cat', duration: 5, ratio: '16:9' };
			const started = Date.now();
			const id = await submitOk(emu, 'seedance-2.0', input, {
				user_id: 'u-1',
				callBackUrl: 'https://example.com/hook',
			});
			expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			const seen = [];
			for (const at of [100, 350, 750]) {
				jest.advanceTimersByTime(started + at - Date.now());
				const { json } = await getTask(emu, id);
				seen.push(json.data.status);
				expect(json.data.result).toBeNull();
			}
			expect(seen).toEqual(['PENDING', 'PROCESSING', 'SUBMITTED']);
			const submitted = (await getTask(emu, id)).json.data;
			expect(Date.parse(submitted.updated_at) - Date.parse(submitted.created_at)).toBe(500);
			// The record keeps callBackUrl and user_id, the public JSON does not.
			expect(emu.tasks.get(id)?.user_id).toBe('u-1');
			expect(emu.tasks.get(id)?.callBackUrl).toBe('https://example.com/hook');
			emu.tasks.get(id)!.callBackUrl = undefined; // keep this check off the network
			jest.advanceTimersByTime(started + 1150 - Date.now());
			const res = await getTask(emu, id);
			expect(res.status).toBe(200);
			expect(res.json.code).toBe(0);
			expect(res.json.msg).toBe('ok');
			const task = res.json.data;
			expect(Object.keys(task).sort()).toEqual([
				'created_at',
				'failure_reason',
				'input',
				'result',
				'status',
				'taskId',
				'updated_at',
			]);
			expect(task.taskId).toBe(id);
			expect(task.status).toBe('SUCCESS');
			expect(task.input).toEqual({ ...input, model: 'seedance-2.0' });
			expect(task.created_at).toMatch(ISO_UTC);
			expect(task.updated_at).toMatch(ISO_UTC);
			expect(Date.parse(task.updated_at) - Date.parse(task.created_at)).toBe(1000);
			expect(task.failure_reason).toBeNull();
			expect(task.result).toEqual({ type: 'video', urls: [`${emu.baseUrl}/files/${id}/0.mp4`] });
			expect(emu.getTask(id)).toEqual(task);
			const file = await fetch(task.result.urls[0]); // no auth, like a CDN
			expect(file.status).toBe(200);
			expect(file.headers.get('content-type')).toBe('video/mp4');
			expect(file.headers.get('content-length')).toBe(String(SAMPLE_MP4.length));
			expect(Buffer.from(await file.arrayBuffer()).equals(SAMPLE_MP4)).toBe(true);
		});
	});

	test('keywords: mock:fail, mock:fail=REASON, mock:timeout, mock:latency, mock:never', async () => {
		await withEmulator({ latencyMs: 60_000 }, async (emu) => {
			const ids = {
				fail: await submitOk(emu, 'veo3', { prompt: 'x mock:fail mock:latency=40' }),
				reason: await submitOk(emu, 'veo3', {
					prompt: 'mock:latency=40 x mock:fail=INSUFFICIENT_POINTS',
				}),
				timeout: await submitOk(emu, 'veo3', { prompt: 'mock:timeout mock:latency=40' }),
				never: await submitOk(emu, 'veo3', { prompt: 'mock:never mock:latency=40' }),
				slow: await submitOk(emu, 'veo3', { prompt: 'default latency (60 s)' }),
			};
			jest.advanceTimersByTime(150);
			const t = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, emu.getTask(id)!]));
			expect([t.fail.status, t.fail.failure_reason, t.fail.result]).toEqual([
				'FAILURE',
				null,
				null,
			]);
			expect([t.reason.status, t.reason.failure_reason, t.reason.result]).toEqual([
				'FAILURE',
				'INSUFFICIENT_POINTS',
				null,
			]);
			expect([t.timeout.status, t.timeout.failure_reason, t.timeout.result]).toEqual([
				'TIMEOUT',
				null,
				null,
			]);
			expect(t.never.status).toBe('SUBMITTED');
			expect(t.slow.status).toBe('PENDING');
		});
	});

	test('cancel (non-terminal mode): allowed until terminal, then 400; unknown -> 404', async () => {
		await withEmulator({ latencyMs: 60_000 }, async (emu) => {
			const pending = await submitOk(emu, 'veo3', { prompt: 'p' });
			const res = await cancel(emu, pending);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ code: 0, msg: 'ok' });
			const cancelled = emu.getTask(pending)!;
			expect([cancelled.status, cancelled.result, cancelled.failure_reason]).toEqual([
				'CANCELLED',
				null,
				null,
			]);
			const again = await cancel(emu, pending);
			expect(again.status).toBe(400);
			expect(again.json).toEqual({
				code: 400,
				msg: 'task cannot be cancelled in status CANCELLED',
			});

			const late = await submitOk(emu, 'veo3', { prompt: 'p mock:latency=200' });
			jest.advanceTimersByTime(120);
			expect(emu.getTask(late)?.status).toBe('SUBMITTED');
			expect((await cancel(emu, late)).status).toBe(200);
			jest.advanceTimersByTime(150); // past its latency: it must stay CANCELLED
			expect(emu.getTask(late)?.status).toBe('CANCELLED');

			const done = await submitOk(emu, 'veo3', { prompt: 'p mock:latency=0' });
			const refused = await cancel(emu, done);
			expect(refused.json).toEqual({
				code: 400,
				msg: 'task cannot be cancelled in status SUCCESS',
			});
			const unknown = await cancel(emu, 'no-such-task');
			expect(unknown.status).toBe(404);
			expect(unknown.json).toEqual({ code: 404, msg: 'task not found' });
		});
	});

	test("cancel (cancellable: 'pending'): only PENDING tasks", async () => {
		await withEmulator({ latencyMs: 60_000, cancellable: 'pending' }, async (emu) => {
			const processing = await submitOk(emu, 'veo3', { prompt: 'p mock:latency=300' });
			jest.advanceTimersByTime(90);
			const refused = await cancel(emu, processing);
			expect(refused.status).toBe(400);
			expect(refused.json).toEqual({
				code: 400,
				msg: 'task cannot be cancelled in status PROCESSING',
			});
			const pending = await submitOk(emu, 'veo3', { prompt: 'p' });
			expect((await cancel(emu, pending)).json).toEqual({ code: 0, msg: 'ok' });
		});
	});
});
