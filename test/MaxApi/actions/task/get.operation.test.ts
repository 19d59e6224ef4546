import { jsonOf, MAXAPI_NODE, runMaxApi, useEmulator, submitTask } from '../../../helpers';

const emulator = useEmulator({ latencyMs: 400 });

async function getTask(taskId: string) {
	const result = await runMaxApi(emulator, { operation: 'get', taskId });
	expect(result.status).toBe('success');
	return jsonOf(result.output(MAXAPI_NODE))[0];
}

describe('Get', () => {
	test('a running task: its status, not finished', async () => {
		const taskId = await submitTask(emulator, 'A fox mock:latency=60000');
		const task = await getTask(taskId);
		expect(task).toMatchObject({
			taskId,
			status: 'PENDING',
			finished: false,
			successful: false,
			resultUrls: [],
		});
		expect(task.model).toBe('seedance-2.0');
	});

	test('a finished video: result URLs, timings, the input echo', async () => {
		const taskId = await submitTask(emulator, 'A fox');
		await emulator.waitFor(() => emulator.getTask(taskId)?.status === 'SUCCESS');
		const task = await getTask(taskId);
		expect(task).toMatchObject({
			taskId,
			status: 'SUCCESS',
			finished: true,
			successful: true,
			resultType: 'video',
			resultUrl: `${emulator.baseUrl}/files/${taskId}/0.mp4`,
			failureReason: null,
			failureAdvice: null,
			input: { model: 'seedance-2.0', prompt: 'A fox' },
		});
		expect(task.resultUrls).toEqual([task.resultUrl]);
		expect(Date.parse(task.updatedAt as string)).toBeGreaterThan(
			Date.parse(task.createdAt as string),
		);
	});

	test('an image task with several results lists them all', async () => {
		const result = await runMaxApi(emulator, {
			operation: 'submit',
			waitForCompletion: 'none',
			family: 'seedream',
			model: 'seedream-4',
			prompt: 'Posters',
			n: 3,
		});
		const { taskId } = jsonOf(result.output(MAXAPI_NODE))[0];
		await emulator.waitFor(() => emulator.getTask(taskId as string)?.status === 'SUCCESS');
		const task = await getTask(taskId as string);
		expect(task.resultType).toBe('image');
		expect(task.resultUrls).toHaveLength(3);
	});

	test.each([
		['mock:fail=CONTENT_MODERATION', 'FAILURE', 'CONTENT_MODERATION', /rejected by moderation/],
		['mock:fail=INSUFFICIENT_POINTS', 'FAILURE', 'INSUFFICIENT_POINTS', /Top up/],
		['mock:fail', 'FAILURE', null, /no specific reason/],
		['mock:timeout', 'TIMEOUT', null, /timed out/],
	])(
		'an unsuccessful task (%s): status %s, reason and advice',
		async (keyword, status, reason, advice) => {
			const taskId = await submitTask(emulator, `A fox ${keyword}`);
			await emulator.waitFor(() => emulator.getTask(taskId)?.status === status);
			const task = await getTask(taskId);
			expect(task).toMatchObject({
				status,
				finished: true,
				successful: false,
				failureReason: reason,
				resultUrls: [],
			});
			expect(task.failureAdvice).toMatch(advice);
		},
	);

	test('an empty task ID is refused before any request', async () => {
		const result = await runMaxApi(emulator, { operation: 'get', taskId: '={{ $json.missing }}' });
		expect(result.error?.message).toBe('Task ID: empty');
		expect(emulator.requests).toHaveLength(0);
	});

	test('with "Continue (using error output)", a task that is not found comes out on the error output', async () => {
		const taskId = await submitTask(emulator, 'A fox mock:latency=60000');
		const result = await runMaxApi(
			emulator,
			{ operation: 'get', taskId: '={{ $json.id }}' },
			{ items: [{ json: { id: taskId } }, { json: { id: 'no-such-task' } }], errorOutput: true },
		);
		expect(jsonOf(result.output(MAXAPI_NODE, 0)).map((json) => json.taskId)).toEqual([taskId]);
		const [failed] = result.output(MAXAPI_NODE, 1);
		expect(failed.json).toMatchObject({
			id: 'no-such-task',
			error: 'Task "no-such-task" was not found',
			details: { description: expect.any(String) },
		});
		expect(failed.pairedItem).toEqual({ item: 1 });
	});
});
