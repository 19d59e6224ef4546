/** How a callback decides that every task has finished, as a unit: which tasks it reads, and when none. */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { ItemState } from '../../nodes/MaxApi/wait/outcome';
import type { TaskKnowledge } from '../../nodes/MaxApi/wait/parkedExecutions';
import { everyTaskFinished } from '../../nodes/MaxApi/wait/resume';

type TaskState = Extract<ItemState, { kind: 'task' }>;

/** A context whose API says SUCCESS for the tasks in `ended`, PROCESSING for the others; logs reads. */
function api(ended: Set<string>) {
	const reads: string[] = [];
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
				return {
					statusCode: 200,
					headers: {},
					body: { code: 0, msg: 'ok', data: { taskId, status } },
				};
			},
		},
	} as unknown as IWebhookFunctions;
	return { ctx, reads };
}

const tasks = (...ids: string[]): TaskState[] =>
	ids.map((taskId, itemIndex) => ({ kind: 'task', itemIndex, taskId }));
const knowledge = (): TaskKnowledge => ({
	finished: new Map(),
	seenRunningAt: new Map(),
	calledBack: new Set(),
});

describe('everyTaskFinished', () => {
	test('a callback reads its task and one other together, and stops at a running one', async () => {
		const { ctx, reads } = api(new Set(['a']));
		const known = knowledge();
		expect(await everyTaskFinished(ctx, tasks('a', 'b', 'c'), 'a', known)).toBe(false);
		expect(reads).toHaveLength(2);
		expect(reads).toContain('a');
		expect([...known.finished.keys()]).toEqual(['a']);
		expect(known.seenRunningAt.size).toBe(1);
	});

	test('a callback about a task known to have finished reads nothing', async () => {
		const { ctx, reads } = api(new Set(['a']));
		const known = knowledge();
		known.finished.set('a', { taskId: 'a', status: 'SUCCESS' });
		expect(await everyTaskFinished(ctx, tasks('a', 'b'), 'a', known)).toBe(false);
		expect(reads).toEqual([]);
	});

	test('a task seen running within the last second is taken to be running: nothing is read', async () => {
		const { ctx, reads } = api(new Set(['a', 'b']));
		const known = knowledge();
		known.seenRunningAt.set('c', Date.now());
		expect(await everyTaskFinished(ctx, tasks('a', 'b', 'c'), 'b', known)).toBe(false);
		expect(reads).toEqual([]);
	});

	test("a task's callback makes what was seen of it out of date, so the last callback reads it and resumes", async () => {
		const ended = new Set(['a']);
		const { ctx, reads } = api(ended);
		const known = knowledge();
		known.finished.set('a', { taskId: 'a', status: 'SUCCESS' });
		known.seenRunningAt.set('b', Date.now());
		known.seenRunningAt.set('c', Date.now());
		// b's callback: c was just seen running, so it reads nothing; what was seen of b is forgotten.
		ended.add('b');
		expect(await everyTaskFinished(ctx, tasks('a', 'b', 'c'), 'b', known)).toBe(false);
		expect(reads).toEqual([]);
		// c's callback, the last: b must not count as running any more.
		ended.add('c');
		expect(await everyTaskFinished(ctx, tasks('a', 'b', 'c'), 'c', known)).toBe(true);
		expect(reads.sort()).toEqual(['b', 'c']);
	});

	test('the last callback of a big batch confirms the rest in rounds of 2, 4, 8…', async () => {
		const ids = Array.from({ length: 30 }, (_, i) => `t${i}`);
		const { ctx, reads } = api(new Set(ids));
		expect(await everyTaskFinished(ctx, tasks(...ids), 't0', knowledge())).toBe(true);
		expect(reads).toHaveLength(30);
	});
});
