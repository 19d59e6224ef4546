/** The per-process memory behind "one run per task outcome", "one resume" and the parked executions. */
import { BoundedMemory } from '../../nodes/shared/boundedMemory';

describe('BoundedMemory', () => {
	test('keeps a key for its time, then forgets it', () => {
		const memory = new BoundedMemory<string>(10, 1000);
		memory.set('a', 'value', 0);
		expect(memory.get('a', 1000)).toBe('value');
		expect(memory.has('a', 1000)).toBe(true);
		expect(memory.get('a', 1001)).toBeUndefined();
		expect(memory.has('a', 1000)).toBe(false); // forgotten for good once seen expired
		expect(memory.has('b', 0)).toBe(false);
	});

	test('keeps at most its number of keys, dropping the oldest first', () => {
		const memory = new BoundedMemory<true>(3, 60_000);
		for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) memory.set(key, true, index);
		expect(['a', 'b', 'c', 'd'].map((key) => memory.has(key, 10))).toEqual([
			false,
			true,
			true,
			true,
		]);
		memory.set('b', true, 20); // set again: now the newest
		memory.set('e', true, 21);
		expect(['b', 'c', 'd', 'e'].map((key) => memory.has(key, 30))).toEqual([
			true,
			false,
			true,
			true,
		]);
	});

	test('a key set later lives its full time from then; at exactly its age it is still kept', () => {
		const memory = new BoundedMemory<string>(10, 1000);
		memory.set('a', 'value', 500);
		expect(memory.get('a', 1500)).toBe('value');
		expect(memory.entries(undefined, 1500)).toEqual([['a', 500]]);
		memory.set('b', 'value', 1500);
		expect(memory.entries(undefined, 1500)).toEqual([
			['a', 500],
			['b', 1500],
		]);
		expect(memory.get('a', 1501)).toBeUndefined();
	});

	test('a new key drops the expired ones before it, even under the count', () => {
		const memory = new BoundedMemory<true>(10, 100);
		memory.set('old', true, 0);
		memory.set('new', true, 500);
		expect(memory.entries('', 0)).toEqual([['new', 500]]);
	});

	test('without an age bound keys stay until the count pushes them out; delete forgets', () => {
		const memory = new BoundedMemory<number>(2);
		memory.set('a', 1, 0);
		expect(memory.get('a', Number.MAX_SAFE_INTEGER)).toBe(1);
		memory.set('b', 2, 1);
		memory.delete('a');
		expect(memory.has('a')).toBe(false);
		memory.set('c', 3, 2);
		expect(memory.entries('', 2)).toEqual([
			['b', 1],
			['c', 2],
		]);
	});

	test('entries lists the keys with a prefix that are still kept, oldest first, with their times', () => {
		const memory = new BoundedMemory<true>(10, 1000);
		memory.set('node1:a', true, 0);
		memory.set('node2:b', true, 10);
		memory.set('node1:c', true, 20);
		expect(memory.entries('node1:', 500)).toEqual([
			['node1:a', 0],
			['node1:c', 20],
		]);
		expect(memory.entries('node1:', 1010)).toEqual([['node1:c', 20]]);
	});
});
