/** The one task output shape, and back. */
import { taskFromOutput, toTaskOutput, type MaxApiTask } from '../../nodes/shared/task';

describe('task output', () => {
	test.each<[string, MaxApiTask]>([
		[
			'a finished video',
			{
				taskId: 't1',
				status: 'SUCCESS',
				input: { model: 'veo3', prompt: 'p' },
				result: { type: 'video', urls: ['https://cdn/x.mp4'] },
				failure_reason: null,
				created_at: '2026-11-25T10:00:00Z',
				updated_at: '2026-11-25T10:01:00Z',
			},
		],
		[
			'a failed task',
			{
				taskId: 't2',
				status: 'FAILURE',
				input: {},
				result: null,
				failure_reason: 'CONTENT_MODERATION',
			},
		],
		['a cancelled task with few fields', { taskId: 't3', status: 'CANCELLED' }],
	])('%s: the task read back from its output item gives the same item', (_name, task) => {
		const output = toTaskOutput(task);
		expect(toTaskOutput(taskFromOutput(output))).toEqual(output);
	});
});
