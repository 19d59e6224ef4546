/** sleepUnlessAborted on n8n 1.x, whose sleep(ms) ignores an AbortSignal (2.x's honours it). */
import { sleepUnlessAborted } from '../../nodes/shared/sleep';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	// n8n-workflow 1.x: a plain timer, the signal ignored.
	sleep: async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('sleepUnlessAborted', () => {
	test('ends as soon as the signal aborts, even with a sleep that ignores it', async () => {
		jest.useFakeTimers();
		try {
			const wake = new AbortController();
			const sleeping = sleepUnlessAborted(60_000, wake.signal);
			wake.abort();
			await expect(sleeping).rejects.toThrow('aborted');
		} finally {
			jest.useRealTimers();
		}
	});

	test('sleeps its time when nothing aborts it', async () => {
		jest.useFakeTimers();
		try {
			let done = false;
			const sleeping = sleepUnlessAborted(1_000, new AbortController().signal).then(
				() => (done = true),
			);
			await jest.advanceTimersByTimeAsync(999);
			expect(done).toBe(false);
			await jest.advanceTimersByTimeAsync(1);
			await sleeping;
			expect(done).toBe(true);
		} finally {
			jest.useRealTimers();
		}
	});

	test('an already aborted signal ends it at once', async () => {
		const wake = new AbortController();
		wake.abort();
		await expect(sleepUnlessAborted(60_000, wake.signal)).rejects.toThrow('aborted');
	});
});
