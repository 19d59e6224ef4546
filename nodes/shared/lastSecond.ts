/** Lists of times (ms, oldest first) kept for the budget's "in the last second" counts. */
export const WINDOW_MS = 1_000;

/** Drops the times (oldest first) at or before `cutoff`. */
export function dropBefore(times: number[], cutoff: number): void {
	// An empty list ends it too: times[0] is then undefined, which is not <= anything.
	while (times[0] <= cutoff) times.shift();
}

/** Adds a time to a last-second list, and drops what has left that second (the list stays small). */
export function pushRecent(times: number[], at: number): void {
	times.push(at);
	dropBefore(times, at - WINDOW_MS);
}

/** The most of `times` (in any order) that fall within any one second: a sliding window's count. */
export function mostInAnySecond(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let first = 0, last = 0; last < sorted.length; last++) {
		while (sorted[last] - sorted[first] >= WINDOW_MS) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}
