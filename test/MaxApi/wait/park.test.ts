/**
 * Parking for Callback (Resume): the last look before parking, Poll First, and what the parked items
 * say when the time limit passes. Tasks run until a test ends them (mock:never, then finishTask).
 */
import { jsonOf, MAXAPI_NODE, prompts, maxApiWorkflow } from '../../helpers';
import { useParking } from '../../harness/parking';

const { emulator, waiting, callback, taskIds, finish, park } = useParking();

describe('parking', () => {
	test('a task that ends just before the execution is parked: its callback is refused (409), MaxAPI calling again resumes it', async () => {
		// The node's last read before parking is held: the task ends meanwhile, so its callback finds
		// the execution still running, and the held read then says it is still running (as it was).
		emulator.configure({ callbackRetries: 0 });
		emulator.injectFault({ route: 'get', type: 'hold' });
		const parking = park(prompts('ends meanwhile mock:never'));
		await emulator.waitFor(() => emulator.heldCount() === 1);
		const [taskId] = taskIds();
		await finish(taskId);
		expect(emulator.callbacks).toEqual([expect.objectContaining({ status: 409 })]);
		emulator.release();
		const { id, first } = await parking;
		expect(first.status).toBe('waiting');

		emulator.deliverCallback(taskId);
		const result = await waiting.finished(id);
		expect(result.status).toBe('success');
		await emulator.waitFor(() => emulator.callbacks.length === 2);
		expect(emulator.callbacks.map((delivery) => delivery.status)).toEqual([409, 200]);
		expect(jsonOf(result.output(MAXAPI_NODE)).map((json) => json.status)).toEqual(['SUCCESS']);
	});

	test('Poll First: tasks that end within it come out without parking, whatever happens to their callbacks', async () => {
		emulator.configure({ callbackRetries: 0 });
		const { id, first } = await park(
			prompts('quick mock:latency=1200', 'quicker mock:latency=300'),
			{ pollFirstSeconds: 20 },
		);
		expect(first.status).toBe('success');
		expect(waiting.status(id)).toBe('success');
		expect(jsonOf(first.output(MAXAPI_NODE)).map((json) => json.status)).toEqual([
			'SUCCESS',
			'SUCCESS',
		]);
		// Both callbacks came while the execution was running, and were refused.
		await emulator.waitFor(() => emulator.callbacks.length === 2);
		expect(emulator.callbacks.map((delivery) => delivery.status)).toEqual([409, 409]);
	});

	test('Poll First: a task still running when it ends is waited for by callback', async () => {
		const { id, first } = await park(prompts('long mock:never'), { pollFirstSeconds: 2.5 });
		expect(first.status).toBe('waiting');
		const reads = emulator.requests.filter((request) => request.route === 'get').length;
		expect(reads).toBeGreaterThanOrEqual(2); // polled, then the last look before parking
		await finish(taskIds()[0]);
		expect((await waiting.finished(id)).status).toBe('success');
	});

	test('if every task has finished before parking, the node does not park at all', async () => {
		const { id, first } = await park(prompts('instant mock:latency=0'));
		expect(first.status).toBe('success');
		expect(waiting.status(id)).toBe('success');
		expect(first.output(MAXAPI_NODE)[0].json.status).toBe('SUCCESS');
	});

	test('when the wait limit passes, the items say which tasks finished and which did not', async () => {
		const { id } = await park(prompts('instant mock:latency=0', 'never mock:never'));
		const result = await waiting.timeOut(id);
		expect(result.status).toBe('success');
		const [done, unfinished] = jsonOf(result.output(MAXAPI_NODE));
		expect(done).toMatchObject({ status: 'SUCCESS', finished: true });
		expect(done.timedOut).toBeUndefined();
		expect(unfinished).toMatchObject({
			finished: false,
			timedOut: true,
			taskId: [...emulator.tasks.keys()][1],
		});
		expect(result.output(MAXAPI_NODE).map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
	});

	test('callbacks lost (n8n down, MaxAPI gave up): a Wait operation after the node picks up the timed-out items', async () => {
		const workflow = maxApiWorkflow(callback());
		workflow.nodes.push({
			...workflow.nodes[1],
			id: '00000000-0000-4000-8000-000000000003',
			name: 'Wait for the rest',
			position: [440, 0],
			parameters: { operation: 'wait', taskId: '={{ $json.taskId }}' },
		});
		workflow.connections[MAXAPI_NODE] = {
			main: [[{ node: 'Wait for the rest', type: 'main' as never, index: 0 }]],
		};
		const { id } = await waiting.run(workflow, {
			credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
			items: prompts('quick mock:latency=0', 'lost mock:never'),
		});
		const [, lost] = taskIds();
		const submits = emulator.submitCount();
		const timedOut = waiting.timeOut(id);
		emulator.finishTask(lost); // its callback finds the execution running: refused, as in n8n
		const result = await timedOut;
		const parkedOutput = jsonOf(result.output(MAXAPI_NODE));
		expect(parkedOutput[1]).toMatchObject({ taskId: lost, timedOut: true });
		expect(String(parkedOutput[1].message)).toMatch(/MaxApi Wait operation/);
		expect(jsonOf(result.output('Wait for the rest')).map((json) => json.status)).toEqual([
			'SUCCESS',
			'SUCCESS',
		]);
		expect(emulator.submitCount()).toBe(submits);
	});

	test('when the time limit passes, the unfinished items keep their Reference', async () => {
		const { id } = await park(
			[
				{ json: { prompt: 'instant mock:latency=0', reference: 'done row' } },
				{ json: { prompt: 'never mock:never', reference: 'open row' } },
			],
			{ options: { reference: '={{ $json.reference }}' } },
		);
		const result = await waiting.timeOut(id);
		expect(jsonOf(result.output(MAXAPI_NODE))).toEqual([
			expect.objectContaining({ finished: true, reference: 'done row' }),
			expect.objectContaining({ finished: false, timedOut: true, reference: 'open row' }),
		]);
	});
});
