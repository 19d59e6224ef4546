/** The per-process memory behind "one run per task outcome" and "one resume": pure, no HTTP. */
import { CallbackMemory } from '../../nodes/shared/callbackMemory';

describe('CallbackMemory', () => {
	test('remembers a key for its time, then forgets it', () => {
		const memory = new CallbackMemory(1000, 10);
		memory.remember('a', 0);
		expect(memory.has('a', 1000)).toBe(true);
		expect(memory.has('a', 1001)).toBe(false);
		expect(memory.has('b', 0)).toBe(false);
	});

	test('keeps at most its number of keys, dropping the oldest first', () => {
		const memory = new CallbackMemory(60_000, 3);
		for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) memory.remember(key, index);
		expect(['a', 'b', 'c', 'd'].map((key) => memory.has(key, 10))).toEqual([
			false,
			true,
			true,
			true,
		]);
		memory.remember('b', 20); // remembered again: now the newest
		memory.remember('e', 21);
		expect(['b', 'c', 'd', 'e'].map((key) => memory.has(key, 30))).toEqual([
			true,
			false,
			true,
			true,
		]);
	});

	test('calls for one key take turns, in the order they came, even when one fails; other keys do not wait', async () => {
		const memory = new CallbackMemory(60_000, 10);
		const order: string[] = [];
		let releaseFirst!: () => void;
		const first = memory.inTurn('task', async () => {
			await new Promise<void>((resolve) => (releaseFirst = resolve));
			order.push('first');
			throw new Error('boom');
		});
		const second = memory.inTurn('task', async () => {
			order.push('second');
			return 2;
		});
		const other = memory.inTurn('other task', async () => {
			order.push('other');
			return 3;
		});
		await expect(other).resolves.toBe(3);
		expect(order).toEqual(['other']);
		releaseFirst();
		await expect(first).rejects.toThrow('boom');
		await expect(second).resolves.toBe(2);
		expect(order).toEqual(['other', 'first', 'second']);
	});
});
