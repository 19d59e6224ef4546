/** The budget's last-second counts (pure). */
import { dropBefore, mostInAnySecond, pushRecent } from '../../nodes/shared/lastSecond';

describe('last-second lists', () => {
	test('dropBefore drops the times at or before the cutoff, and only those', () => {
		const times = [100, 200, 300, 400];
		dropBefore(times, 200);
		expect(times).toEqual([300, 400]);
		dropBefore(times, 0);
		expect(times).toEqual([300, 400]);
		dropBefore(times, 1000);
		expect(times).toEqual([]);
	});

	test('pushRecent keeps only the last second', () => {
		const times: number[] = [];
		pushRecent(times, 0);
		pushRecent(times, 999);
		expect(times).toEqual([0, 999]);
		pushRecent(times, 1000);
		expect(times).toEqual([999, 1000]);
	});

	test('mostInAnySecond counts a sliding one-second window, whatever the order', () => {
		expect(mostInAnySecond([])).toBe(0);
		expect(mostInAnySecond([5])).toBe(1);
		// 0, 500, 999 lie within one second; 1000 is a second after 0.
		expect(mostInAnySecond([1000, 0, 999, 500])).toBe(3);
		expect(mostInAnySecond([0, 1000, 2000, 3000])).toBe(1);
		expect(mostInAnySecond([0, 1, 2, 1500, 1600, 1700, 1800])).toBe(4);
	});
});
