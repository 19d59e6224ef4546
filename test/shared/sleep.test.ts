/** sleepUnlessAborted on n8n 1.x, whose sleep(ms) ignores an AbortSignal (2.x's honours it). */
import { getEventListeners } from 'node:events';

import { sleepUnlessAborted } from '../../nodes/shared/sleep';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	// n8n-workflow 1.x: a plain timer, the signal ignored.
	sleep: async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('sleepUnlessAborted', () => {
	test('leaves no listener on the signal once it has slept (a run sleeps thousands of times)', async () => {
		jest.useFakeTimers();
		try {
			const cancel = new AbortController();
			for (let i = 0; i < 3; i++) {
				const sleeping = sleepUnlessAborted(1000, cancel.signal);
				await jest.advanceTimersByTimeAsync(1000);
				await sleeping;
			}
			expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
		} finally {
			jest.useRealTimers();
		}
	});

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
