/** The router: per-item operations, their pairing and Continue On Fail; Submit takes every item at once. */
import { MAXAPI_NODE, runMaxApi, submitTask, useEmulator } from '../../helpers';

const emulator = useEmulator();

describe('router', () => {
	test('an operation the node does not have is an error naming it', async () => {
		const result = await runMaxApi(emulator, { operation: 'teleport' });
		expect(result.error?.message).toBe('The operation "teleport" is not supported');
	});

	test('per-item operations run item by item, each output paired with its item', async () => {
		const taskId = await submitTask(emulator, 'A fox mock:never');
		const result = await runMaxApi(
			emulator,
			{ operation: 'get', taskId: '={{ $json.id }}' },
			{ items: [{ json: { id: taskId } }, { json: { id: taskId } }] },
		);
		expect(result.output(MAXAPI_NODE).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
	});

	test('without Continue On Fail the first failed item stops the run', async () => {
		const taskId = await submitTask(emulator, 'A fox mock:never');
		const result = await runMaxApi(
			emulator,
			{ operation: 'get', taskId: '={{ $json.id }}' },
			{ items: [{ json: { id: 'no-such-task' } }, { json: { id: taskId } }] },
		);
		expect(result.error?.message).toBe('Task "no-such-task" was not found');
		expect(emulator.requests.filter((request) => request.route === 'get')).toHaveLength(1);
	});

	test('with Continue On Fail a failed item becomes an error item in its place, and the others run', async () => {
		const taskId = await submitTask(emulator, 'A fox mock:never');
		const result = await runMaxApi(
			emulator,
			{ operation: 'get', taskId: '={{ $json.id }}' },
			{
				items: [{ json: { id: 'no-such-task' } }, { json: { id: taskId } }],
				continueOnFail: true,
			},
		);
		const [failed, read] = result.output(MAXAPI_NODE);
		expect(failed).toMatchObject({
			json: { error: 'Task "no-such-task" was not found' },
			pairedItem: { item: 0 },
		});
		expect(read).toMatchObject({ json: { taskId }, pairedItem: { item: 1 } });
	});
});
