/** Copies of one callback take turns (pure, no HTTP). */
import { Turns } from '../../nodes/shared/turns';

describe('Turns', () => {
	test('calls for one key take turns, in the order they came, even when one fails; other keys do not wait', async () => {
		const turns = new Turns();
		const order: string[] = [];
		let releaseFirst!: () => void;
		const first = turns.inTurn('task', async () => {
			await new Promise<void>((resolve) => (releaseFirst = resolve));
			order.push('first');
			throw new Error('boom');
		});
		const second = turns.inTurn('task', async () => {
			order.push('second');
			return 2;
		});
		const other = turns.inTurn('other task', async () => {
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

	test('a key whose calls have all ended starts afresh', async () => {
		const turns = new Turns();
		await turns.inTurn('task', async () => 1);
		let ran = false;
		await turns.inTurn('task', async () => {
			ran = true;
		});
		expect(ran).toBe(true);
		expect((turns as unknown as { queues: Map<string, unknown> }).queues.size).toBe(0);
	});
});
