import {
	jsonOf,
	MAXAPI_NODE,
	runMaxApi,
	startEmulator,
	useEmulator,
	submitTask,
} from '../../../helpers';

const emulator = useEmulator({ latencyMs: 400 });

describe('Cancel', () => {
	test('a running task is cancelled', async () => {
		const taskId = await submitTask(emulator, 'A fox mock:latency=60000');
		const result = await runMaxApi(emulator, { operation: 'cancel', taskId });
		expect(jsonOf(result.output(MAXAPI_NODE))).toEqual([
			{ taskId, cancelled: true, status: 'CANCELLED' },
		]);
		expect(emulator.getTask(taskId)?.status).toBe('CANCELLED');
	});

	test('cancelling twice is fine: the task is cancelled either way', async () => {
		const taskId = await submitTask(emulator, 'A fox mock:latency=60000');
		await runMaxApi(emulator, { operation: 'cancel', taskId });
		const again = await runMaxApi(emulator, { operation: 'cancel', taskId });
		expect(jsonOf(again.output(MAXAPI_NODE))).toEqual([
			{ taskId, cancelled: true, status: 'CANCELLED' },
		]);
	});

	test('a finished task can no longer be cancelled, and the message says why', async () => {
		const taskId = await submitTask(emulator, 'A fox');
		await emulator.waitFor(() => emulator.getTask(taskId)?.status === 'SUCCESS');
		const result = await runMaxApi(emulator, { operation: 'cancel', taskId });
		expect(result.error?.message).toBe(
			`Task ${taskId} can no longer be cancelled: it has already ended with status SUCCESS`,
		);
		expect(result.error?.description).toMatch(/MaxAPI said: .*cannot be cancelled/);
	});

	test('where MaxAPI cancels only pending tasks, a started one is refused with its status', async () => {
		const pendingOnly = await startEmulator({ cancellable: 'pending', latencyMs: 2000 });
		try {
			const submitted = await runMaxApi(pendingOnly, {
				operation: 'submit',
				waitForCompletion: 'none',
				family: 'seedance',
				model: 'seedance-2.0',
				prompt: 'A fox',
			});
			const taskId = String(jsonOf(submitted.output(MAXAPI_NODE))[0].taskId);
			// Started: PROCESSING from 0.2 of its 2 s, SUBMITTED from half of it; either is refused.
			await pendingOnly.waitFor(() => pendingOnly.getTask(taskId as string)?.status !== 'PENDING');
			const result = await runMaxApi(pendingOnly, { operation: 'cancel', taskId });
			expect(result.error?.message).toMatch(
				new RegExp(
					`^Task ${taskId} can no longer be cancelled: MaxAPI refused while the task is (PROCESSING|SUBMITTED)`,
				),
			);
		} finally {
			await pendingOnly.stop();
		}
	});

	test('an unknown task is "not found"', async () => {
		const result = await runMaxApi(emulator, { operation: 'cancel', taskId: 'nope' });
		expect(result.error?.message).toBe('Task "nope" was not found');
	});
});
