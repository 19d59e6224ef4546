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

	test('after a failure no more items start; it rejects with the first once the running ones end', async () => {
		const started: number[] = [];
		const ended: number[] = [];
		let releaseSlow!: () => void;
		const run = forEachConcurrently([1, 2, 3, 4, 5], 2, async (item) => {
			started.push(item);
			if (item === 1) await new Promise<void>((resolve) => (releaseSlow = resolve));
			if (item === 2) throw new Error('two');
			if (item === 3) throw new Error('three');
			ended.push(item);
		});
		let settled = false;
		void run.catch(() => undefined).then(() => (settled = true));
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([1, 2]);
		expect(settled).toBe(false);
		releaseSlow();
		await expect(run).rejects.toThrow('two');
		expect(ended).toEqual([1]);
		expect(started).toEqual([1, 2]);
	});
});
