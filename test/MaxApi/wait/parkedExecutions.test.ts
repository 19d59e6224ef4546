/**
 * What a process remembers of parked executions, on a stub of the one thing it uses (the parked items,
 * read through n8n's expression engine); resumeWebhook.test.ts and the real-n8n suites run it in n8n.
 */
import type { INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { forgetParked, parkOf } from '../../../nodes/MaxApi/wait/parkedExecutions';

let executionCount = 0;

function callWith(items: INodeExecutionData[]) {
	const evaluateExpression = jest.fn(() => items);
	return { ctx: { evaluateExpression } as unknown as IWebhookFunctions, evaluateExpression };
}

const parked: INodeExecutionData[] = [
	{ json: { taskId: 'a', status: 'PROCESSING', finished: false }, pairedItem: { item: 0 } },
	{
		json: { taskId: 'b', status: 'SUCCESS', finished: true, successful: true, resultUrls: ['u'] },
		pairedItem: { item: 1 },
	},
	{ json: { error: 'Task c failed', taskId: 'c' }, pairedItem: { item: 2 } },
	{ json: { note: 'no task' } },
];

describe('parkOf', () => {
	let executionId: string;
	beforeEach(() => (executionId = `execution-${++executionCount}`));

	test('reads the parked items into states: tasks, those finished at parking, and settled items', () => {
		const { ctx } = callWith(parked);
		const park = parkOf(ctx, executionId, 'a');
		expect(park.key).toBe(`${executionId}:a`);
		expect(park.states).toEqual([
			{ kind: 'task', itemIndex: 0, taskId: 'a', task: undefined },
			{
				kind: 'task',
				itemIndex: 1,
				taskId: 'b',
				task: expect.objectContaining({ taskId: 'b', status: 'SUCCESS' }),
			},
			{ kind: 'settled', itemIndex: 2, item: { json: parked[2].json, pairedItem: { item: 2 } } },
			{ kind: 'settled', itemIndex: 3, item: { json: parked[3].json, pairedItem: { item: 3 } } },
		]);
		expect(park.tasks.finished.has('b')).toBe(true);
		expect(park.tasks.finished.has('a')).toBe(false);
	});

	test('later callbacks of the park read nothing again, and each gets its own copy of the states', () => {
		const { ctx, evaluateExpression } = callWith(parked);
		const first = parkOf(ctx, executionId, 'a');
		const second = parkOf(ctx, executionId, 'b');
		expect(evaluateExpression).toHaveBeenCalledTimes(1);
		expect(second.tasks).toBe(first.tasks);
		expect(second.states[0]).not.toBe(first.states[0]);
		expect(second.states).toEqual(first.states);
	});

	test('a task not among those known: the items are read again, and a new park begins if they changed', () => {
		const { ctx, evaluateExpression } = callWith(parked);
		const first = parkOf(ctx, executionId, 'a');
		// The execution resumed and parked again (another process, queue mode) with other tasks:
		const again = callWith([{ json: { taskId: 'x', status: 'PENDING' }, pairedItem: { item: 0 } }]);
		const second = parkOf(again.ctx, executionId, 'x');
		expect(second.key).toBe(`${executionId}:x`);
		expect(second.tasks).not.toBe(first.tasks);
		// A stray task ID: read again, but the same park stays.
		const stray = parkOf(again.ctx, executionId, 'nobody');
		expect(again.evaluateExpression).toHaveBeenCalledTimes(2);
		expect(stray.tasks).toBe(second.tasks);
		expect(evaluateExpression).toHaveBeenCalledTimes(1);
	});

	test('a park forgotten once resumed is read afresh', () => {
		const { ctx, evaluateExpression } = callWith(parked);
		const first = parkOf(ctx, executionId, 'a');
		forgetParked(executionId);
		const second = parkOf(ctx, executionId, 'a');
		expect(evaluateExpression).toHaveBeenCalledTimes(2);
		expect(second.tasks).not.toBe(first.tasks);
	});
});
