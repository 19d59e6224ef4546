/**
 * Runs `work` for every item with at most `limit` running at once. After the first failure no more are
 * started, and it rejects with that failure once those still running have settled, so nothing of it
 * runs on after the caller has moved on.
 */
export async function forEachConcurrently<T>(
	items: T[],
	limit: number,
	work: (item: T) => Promise<void>,
): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (!failure && next < items.length) {
			const item = items[next++];
			try {
				await work(item);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	if (failure) throw failure.error;
}
