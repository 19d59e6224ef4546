/** The Task ID field, read and checked before any request (pure, on a stub of getNodeParameter). */
import type { IExecuteFunctions } from 'n8n-workflow';

import { readTaskId, taskIdOnly } from '../../../../nodes/MaxApi/actions/task/taskId';

const contextWith = (taskId: unknown) =>
	({
		getNodeParameter: () => taskId,
		getNode: () => ({ name: 'MaxApi' }),
	}) as unknown as IExecuteFunctions;

describe('readTaskId', () => {
	test('a task ID, trimmed', () => {
		expect(readTaskId(contextWith('  3f2b8c1e-9d4a-4c2e-8f1a-2b3c4d5e6f70\n'), 0)).toBe(
			'3f2b8c1e-9d4a-4c2e-8f1a-2b3c4d5e6f70',
		);
	});

	test('empty: refused, saying what to give, with the item', () => {
		for (const empty of ['', '   ', undefined, null]) {
			let thrown: { message?: string; description?: string; context?: { itemIndex?: number } } = {};
			try {
				readTaskId(contextWith(empty), 4);
			} catch (error) {
				thrown = error as typeof thrown;
			}
			expect(thrown.message).toBe('Task ID: empty');
			expect(thrown.description).toMatch(/\{\{ \$json\.taskId \}\}/);
			expect(thrown.context?.itemIndex).toBe(4);
		}
	});

	test('not a task ID (a path, a whole object): refused, quoting at most 80 characters', () => {
		expect(() => readTaskId(contextWith('../etc'), 0)).toThrow(
			'Task ID: "../etc" is not a task ID',
		);
		expect(() => readTaskId(contextWith('[object Object]'), 0)).toThrow(/is not a task ID/);
		const long = 'x'.repeat(129);
		expect(() => readTaskId(contextWith(long), 0)).toThrow(`Task ID: "${'x'.repeat(80)}" is`);
	});
});

describe('taskIdOnly', () => {
	test('the Task ID field, shown for one operation of the Task resource', () => {
		const [field] = taskIdOnly('get');
		expect(field).toMatchObject({ name: 'taskId', required: true });
		expect(field.displayOptions).toEqual({ show: { resource: ['task'], operation: ['get'] } });
	});
});
