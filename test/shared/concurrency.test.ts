/** forEachConcurrently (pure). */
import { forEachConcurrently } from '../../nodes/shared/concurrency';

describe('forEachConcurrently', () => {
	test('runs every item once, never more than the limit at once', async () => {
		let running = 0;
		let most = 0;
		const done: number[] = [];
		await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
			running++;
			most = Math.max(most, running);
			await new Promise((resolve) => setImmediate(resolve));
			done.push(item);
			running--;
		});
		expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(most).toBe(3);
	});

	test('no items: nothing runs', async () => {
		const work = jest.fn(async () => undefined);
		await forEachConcurrently([], 4, work);
		expect(work).not.toHaveBeenCalled();
	});

	test('a failure rejects the whole', async () => {
		await expect(
			forEachConcurrently([1, 2], 2, async (item) => {
				if (item === 2) throw new Error('two');
			}),
		).rejects.toThrow('two');
	});
});
