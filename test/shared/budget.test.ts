/** The run's request budget as a unit, on jest's fake clock. */
import {
	FIRST_WINDOW,
	MAX_API_IN_FLIGHT,
	MAX_DOWNLOADS,
	RequestBudget,
	type RequestKind,
} from '../../nodes/shared/budget';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** Starts requests that stay open until released; records when each started. */
function harness(budget: RequestBudget) {
	const started: Array<{ kind: RequestKind; label: string; at: number }> = [];
	const releases: Array<() => void> = [];
	const request = (kind: RequestKind, label: string = kind) =>
		budget.run(kind, async () => {
			started.push({ kind, label, at: Date.now() });
			await new Promise<void>((resolve) => releases.push(resolve));
		});
	const releaseAll = async () => {
		for (const release of releases.splice(0)) release();
		await jest.advanceTimersByTimeAsync(0);
	};
	return { started, request, releaseAll };
}

describe('RequestBudget', () => {
	test('API requests in flight start at FIRST_WINDOW, double as answers come, never pass MAX_API_IN_FLIGHT; downloads apart', async () => {
		const budget = new RequestBudget();
		const { started, request } = harness(budget);
		const releases: Array<() => void> = [];
		for (let i = 0; i < 3 * MAX_API_IN_FLIGHT; i++) {
			void budget.run('read', async () => {
				started.push({ kind: 'read', label: 'read', at: Date.now() });
				await new Promise<void>((resolve) => releases.push(resolve));
			});
		}
		for (let i = 0; i < MAX_DOWNLOADS + 3; i++) void request('download');
		await jest.advanceTimersByTimeAsync(0);
		expect(started.filter((entry) => entry.kind === 'read')).toHaveLength(FIRST_WINDOW);
		expect(started.filter((entry) => entry.kind === 'download')).toHaveLength(MAX_DOWNLOADS);
		let most = 0;
		let answered = 0;
		while (answered < started.filter((entry) => entry.kind === 'read').length) {
			const inFlight = started.filter((entry) => entry.kind === 'read').length - answered;
			most = Math.max(most, inFlight);
			releases[answered++]();
			budget.succeeded();
			await jest.advanceTimersByTimeAsync(0);
		}
		expect(most).toBe(MAX_API_IN_FLIGHT);
		expect(started.filter((entry) => entry.kind === 'read')).toHaveLength(3 * MAX_API_IN_FLIGHT);
	});

	test('a download that ends frees its slot for the next, never more than MAX_DOWNLOADS at once', async () => {
		const budget = new RequestBudget();
		const { started, request, releaseAll } = harness(budget);
		for (let i = 0; i < MAX_DOWNLOADS * 2 + 1; i++) void request('download');
		await jest.advanceTimersByTimeAsync(0);
		expect(started).toHaveLength(MAX_DOWNLOADS);
		await releaseAll();
		expect(started).toHaveLength(MAX_DOWNLOADS * 2);
		await releaseAll();
		expect(started).toHaveLength(MAX_DOWNLOADS * 2 + 1);
	});

	test('when a slot frees, a waiting submit goes before a waiting read', async () => {
		const budget = new RequestBudget();
		const { started, request, releaseAll } = harness(budget);
		for (let i = 0; i < FIRST_WINDOW; i++) void request('read', 'first');
		void request('read', 'late read');
		void request('submit', 'late submit');
		await jest.advanceTimersByTimeAsync(0);
		await releaseAll();
		for (let i = 0; i < FIRST_WINDOW; i++) budget.succeeded(); // all accepted: the slow start allows more
		await jest.advanceTimersByTimeAsync(0);
		expect(started.slice(FIRST_WINDOW).map((entry) => entry.label)).toEqual([
			'late submit',
			'late read',
		]);
		await releaseAll();
	});

	test('a 429 pauses every API request for its Retry-After; downloads go on', async () => {
		const budget = new RequestBudget();
		const { started, request, releaseAll } = harness(budget);
		budget.rateLimited(2000);
		void request('read');
		void request('download');
		await jest.advanceTimersByTimeAsync(0);
		expect(started.map((entry) => entry.kind)).toEqual(['download']);
		await jest.advanceTimersByTimeAsync(2001);
		expect(started.map((entry) => entry.kind)).toEqual(['download', 'read']);
		await releaseAll();
	});

	test('after a 429 the run keeps under the rate the API accepted, and creeps back up while none comes', async () => {
		const budget = new RequestBudget();
		const started: Array<{ at: number }> = [];
		const releaseAll = async () => await jest.advanceTimersByTimeAsync(0);
		for (let i = 0; i < 20; i++) budget.succeeded();
		budget.rateLimited(0);
		// Answered at once, so only the rate holds them back.
		for (let i = 0; i < 40; i++)
			void budget.run('read', async () => void started.push({ at: Date.now() }));
		// 20 accepted in the last second: from now on at most 18 a second, evenly spaced (1000 / 18 ms).
		await jest.advanceTimersByTimeAsync(999);
		await releaseAll();
		expect(started).toHaveLength(18);
		await jest.advanceTimersByTimeAsync(1000);
		await releaseAll();
		expect(started).toHaveLength(36);
		for (const [i, entry] of started.entries())
			if (i > 0) expect(entry.at - started[i - 1].at).toBeGreaterThanOrEqual(1000 / 18);
		// Quiet for 5 s: one more a second.
		await jest.advanceTimersByTimeAsync(5000);
		budget.succeeded();
		await releaseAll();
		const ratePerSecond = (budget as unknown as { ratePerSecond: number }).ratePerSecond;
		expect(ratePerSecond).toBe(19);
	});

	test('before any 429: FIRST_WINDOW at first, then in any second at most twice what the API accepted of the last second', async () => {
		const budget = new RequestBudget();
		const { started, request, releaseAll } = harness(budget);
		for (let i = 0; i < 100; i++) void request('read');
		await jest.advanceTimersByTimeAsync(0);
		expect(started).toHaveLength(FIRST_WINDOW);
		await jest.advanceTimersByTimeAsync(300);
		await releaseAll();
		for (let i = 0; i < 20; i++) budget.succeeded(1_000_000); // 20 answered without a 429
		await jest.advanceTimersByTimeAsync(0);
		expect(started).toHaveLength(40); // twice 20 in this second
		// A second after the first ones started they no longer count: 40 may start in this second, less the
		// 16 started at 300 ms; of those 24, the in-flight window (FIRST_WINDOW, 16 still open) lets 8 go.
		await jest.advanceTimersByTimeAsync(701);
		expect(started).toHaveLength(48);
		await releaseAll();
	});
});

describe('RequestBudget over a long run', () => {
	test('keeps only the last few seconds of answers, however many came', async () => {
		const budget = new RequestBudget();
		for (let second = 0; second < 600; second++) {
			for (let i = 0; i < 10; i++) budget.succeeded(Date.now());
			await jest.advanceTimersByTimeAsync(1000);
		}
		const kept = (budget as unknown as { apiSuccesses: number[] }).apiSuccesses.length;
		// The last answers and those 1, 2 and 3 s before them: what a 429 would learn from.
		expect(kept).toBe(40);
	});
});

describe('RequestBudget: the in-flight window', () => {
	/** Requests that stay open until answered; counts those open. */
	function openRequests(budget: RequestBudget, count: number) {
		const releases: Array<() => void> = [];
		let started = 0;
		for (let i = 0; i < count; i++)
			void budget.run('read', async () => {
				started++;
				await new Promise<void>((resolve) => releases.push(resolve));
			});
		let answered = 0;
		/** Answers the `n` oldest open requests, each without a 429 unless said otherwise. */
		const answer = async (n: number, { accepted = true } = {}) => {
			for (let i = 0; i < n; i++) {
				releases[answered++]();
				if (accepted) budget.succeeded();
			}
			await jest.advanceTimersByTimeAsync(0);
		};
		return { answer, inFlight: () => started - answered };
	}

	test('doubles once as many answers have come as it allows, not before, up to MAX_API_IN_FLIGHT', async () => {
		const budget = new RequestBudget();
		const { answer, inFlight } = openRequests(budget, 1000);
		await jest.advanceTimersByTimeAsync(0);
		expect(inFlight()).toBe(FIRST_WINDOW);
		// A second later (so the slow start's count of the last second is over), one answer short.
		await jest.advanceTimersByTimeAsync(1000);
		await answer(FIRST_WINDOW - 1);
		expect(inFlight()).toBe(FIRST_WINDOW);
		await answer(1);
		expect(inFlight()).toBe(2 * FIRST_WINDOW);
		// Each second, as many answers as the window: it doubles, 48 → 96 → 128, and stays there.
		for (const window of [4 * FIRST_WINDOW, MAX_API_IN_FLIGHT, MAX_API_IN_FLIGHT]) {
			await jest.advanceTimersByTimeAsync(1000);
			await answer(inFlight());
			await jest.advanceTimersByTimeAsync(1000); // the slow start lets the rest of the window go
			expect(inFlight()).toBe(window);
		}
	});

	test('halves on a 429, never below 4', async () => {
		const budget = new RequestBudget();
		const { answer, inFlight } = openRequests(budget, 1000);
		await jest.advanceTimersByTimeAsync(0);
		expect(inFlight()).toBe(FIRST_WINDOW);
		for (const window of [FIRST_WINDOW / 2, FIRST_WINDOW / 4, 4, 4]) {
			budget.rateLimited(0);
			await answer(inFlight(), { accepted: false });
			await jest.advanceTimersByTimeAsync(1000);
			expect(inFlight()).toBe(window);
		}
	});
});

describe('RequestBudget: what a 429 learns', () => {
	/** Requests answered at once; records when each started. */
	function instantReads(budget: RequestBudget, count: number): number[] {
		const startedAt: number[] = [];
		for (let i = 0; i < count; i++)
			void budget.run('read', async () => void startedAt.push(Date.now()));
		return startedAt;
	}

	test('the rate comes from the answers sent in the last 3 s, one sent exactly 3 s before included', async () => {
		const budget = new RequestBudget();
		const start = Date.now();
		for (let i = 0; i < 10; i++) budget.succeeded(start - 1); // 3001 ms old at the 429: forgotten
		for (let i = 0; i < 5; i++) budget.succeeded(start);
		await jest.advanceTimersByTimeAsync(3000);
		budget.rateLimited(0);
		const startedAt = instantReads(budget, 3);
		await jest.advanceTimersByTimeAsync(1000);
		// 5 accepted in a second: 90 % of it, 4 a second, 250 ms apart.
		expect(startedAt.map((at) => at - startedAt[0])).toEqual([0, 250, 500]);
	});

	test('a 429 before any answer came pauses, then the run goes at full speed', async () => {
		const budget = new RequestBudget();
		budget.rateLimited(1000);
		const startedAt = instantReads(budget, 10);
		await jest.advanceTimersByTimeAsync(999);
		expect(startedAt).toHaveLength(0);
		await jest.advanceTimersByTimeAsync(1);
		expect(startedAt).toHaveLength(10);
	});

	test('the rate creeps up by one for each 5 s without a 429, counted from the 429', async () => {
		const budget = new RequestBudget();
		const rate = () => (budget as unknown as { ratePerSecond: number }).ratePerSecond;
		for (let i = 0; i < 20; i++) budget.succeeded();
		const limitedAt = Date.now();
		budget.rateLimited(0);
		instantReads(budget, 1); // the pause ends: the rate is learnt, 18
		await jest.advanceTimersByTimeAsync(0);
		expect(rate()).toBe(18);
		for (const [sentAfter, expected] of [
			[1000, 18],
			[4999, 18],
			[5000, 19],
			[9999, 19],
			[10_000, 20],
		]) {
			budget.succeeded(limitedAt + sentAfter);
			expect(rate()).toBe(expected);
		}
	});

	test('the wait for a paused or spaced request is one timer, however many requests wait', async () => {
		const budget = new RequestBudget();
		budget.rateLimited(2000);
		const startedAt = instantReads(budget, 100);
		await jest.advanceTimersByTimeAsync(0);
		expect(jest.getTimerCount()).toBe(1);
		await jest.advanceTimersByTimeAsync(2000); // the pause is over; the slow start holds the rest
		expect(startedAt).toHaveLength(FIRST_WINDOW);
		expect(jest.getTimerCount()).toBe(1);
	});
});

describe('RequestBudget: the slow start', () => {
	test('the requests over the first second start as soon as the first ones have left it, not a moment later', async () => {
		const budget = new RequestBudget();
		const startedAt: number[] = [];
		for (let i = 0; i < FIRST_WINDOW + 1; i++)
			void budget.run('read', async () => void startedAt.push(Date.now()));
		await jest.advanceTimersByTimeAsync(999);
		expect(startedAt).toHaveLength(FIRST_WINDOW);
		await jest.advanceTimersByTimeAsync(1);
		expect(startedAt).toHaveLength(FIRST_WINDOW + 1);
		expect(startedAt[FIRST_WINDOW] - startedAt[0]).toBe(1000);
	});
});
