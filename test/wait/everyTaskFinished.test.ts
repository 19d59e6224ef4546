/** How a callback decides that every task has finished, as a unit: which tasks it reads, and when none. */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { ItemState } from '../../nodes/MaxApi/wait/outcome';
import type { TaskKnowledge } from '../../nodes/MaxApi/wait/parkedExecutions';
import { everyTaskFinished } from '../../nodes/MaxApi/wait/resume';

type TaskState = Extract<ItemState, { kind: 'task' }>;

/**
 * A context whose API says SUCCESS for the tasks in `ended`, PROCESSING for the others; logs reads. A
 * read of a task in `held` answers (as of when it was sent) only once `release()` is called.
 */
function api(ended: Set<string>, held = new Set<string>()) {
	const reads: string[] = [];
	let release = () => {};
	const gate = new Promise<void>((resolve) => (release = resolve));
	const ctx = {
		getNode: () => ({
			id: 'n',
			name: 'MaxApi',
			type: 'x',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getCredentials: async () => ({ apiKey: 'key', baseUrl: 'http://api.test' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
				const taskId = options.url.split('/').pop()!;
				reads.push(taskId);
				const status = ended.has(taskId) ? 'SUCCESS' : 'PROCESSING';
				if (held.delete(taskId)) await gate;
				return {
					statusCode: 200,
					headers: {},
					body: { code: 0, msg: 'ok', data: { taskId, status } },
				};
			},
		},
	} as unknown as IWebhookFunctions;
	return { ctx, reads, release: () => release() };
}

const tasks = (...ids: string[]): TaskState[] =>
	ids.map((taskId, itemIndex) => ({ kind: 'task', itemIndex, taskId }));
const knowledge = (): TaskKnowledge => ({ finished: new Map(), calledBack: new Set() });

describe('everyTaskFinished', () => {
	test('a callback reads its task and one other together, and stops at a running one', async () => {
		const { ctx, reads } = api(new Set(['a']));
		const known = knowledge();
		expect(await everyTaskFinished(ctx, tasks('a', 'b', 'c'), 'a', known)).toBe(false);
		expect(reads).toHaveLength(2);
		expect(reads).toContain('a');
		expect([...known.finished.keys()]).toEqual(['a']);
	});

	test('a task known to have finished is not read again', async () => {
		const { ctx, reads } = api(new Set(['a']));
		const known = knowledge();
		known.finished.set('a', { taskId: 'a', status: 'SUCCESS' });
		expect(await everyTaskFinished(ctx, tasks('a', 'b'), 'a', known)).toBe(false);
		expect(reads).toEqual(['b']);
	});

	test('a callback about a task that had finished when the execution parked reads nothing', async () => {
		// MaxAPI calling again after n8n refused it (409) while the execution still ran: nothing new.
		const { ctx, reads } = api(new Set(['a']));
		const states = tasks('a', 'b');
		states[0].task = { taskId: 'a', status: 'SUCCESS' };
		expect(await everyTaskFinished(ctx, states, 'a', knowledge())).toBe(false);
		expect(reads).toEqual([]);
	});

	test('each callback learns its own task, so the last one reads only its own', async () => {
		const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
		const ended = new Set<string>();
		const { ctx, reads } = api(ended);
		const known = knowledge();
		for (const id of ids.slice(0, -1)) {
			ended.add(id);
			expect(await everyTaskFinished(ctx, tasks(...ids), id, known)).toBe(false);
		}
		reads.length = 0;
		ended.add('t9');
		expect(await everyTaskFinished(ctx, tasks(...ids), 't9', known)).toBe(true);
		expect(reads).toEqual(['t9']);
	});

	test('a callback whose task this process already knows finished still reads the others: their callbacks may have gone to another process', async () => {
		// Queue mode with two webhook processes: y's callback went to the other one.
		const { ctx, reads } = api(new Set(['y', 'z']));
		const known = knowledge();
		known.finished.set('z', { taskId: 'z', status: 'SUCCESS' });
		expect(await everyTaskFinished(ctx, tasks('y', 'z'), 'z', known)).toBe(true);
		expect(reads).toEqual(['y']);
	});

	test('a read that answers "running" after that task\'s callback came does not hold up the last callback', async () => {
		// As seen in a real n8n, where callbacks run side by side: a's callback reads y; y ends and its
		// callback comes while that read is on its way.
		const random = jest.spyOn(Math, 'random').mockReturnValue(0.99); // silent tasks read in order: y, w
		try {
			const ended = new Set(['a']);
			const { ctx, release } = api(ended, new Set(['y']));
			const known = knowledge();
			const aCallback = everyTaskFinished(ctx, tasks('a', 'y', 'w'), 'a', known);
			await new Promise((resolve) => setImmediate(resolve)); // a's read has answered, y's is on its way
			ended.add('y');
			expect(await everyTaskFinished(ctx, tasks('a', 'y', 'w'), 'y', known)).toBe(false);
			release(); // y's old read answers "running" now
			expect(await aCallback).toBe(false);
			ended.add('w');
			expect(await everyTaskFinished(ctx, tasks('a', 'y', 'w'), 'w', known)).toBe(true);
		} finally {
			random.mockRestore();
		}
	});

	test('the last callback of a big batch confirms the rest in rounds of 2, 4, 8…', async () => {
		const ids = Array.from({ length: 30 }, (_, i) => `t${i}`);
		const { ctx, reads } = api(new Set(ids));
		expect(await everyTaskFinished(ctx, tasks(...ids), 't0', knowledge())).toBe(true);
		expect(reads).toHaveLength(30);
	});
});
