/**
 * One run's share of MaxAPI. Every submit, read and download of one node run (or of one callback) goes
 * through the same budget:
 * - at most MAX_API_IN_FLIGHT requests to the API at once, submits first, then reads; a run starts with
 *   FIRST_WINDOW and doubles that each time as many answers have come without a 429 (so a rate-limited
 *   API sees a small first burst), and halves it on a 429;
 * - downloads apart, at most MAX_DOWNLOADS at once, so a batch of videos never holds up the reads that
 *   tell which tasks have finished;
 * - one back-off for all: a 429 pauses every API request of the run for its Retry-After, and from then on
 *   the run keeps under the rate the API has shown it accepts (requests evenly spaced), creeping back up
 *   while no 429 comes.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { dropBefore, mostInAnySecond, pushRecent, WINDOW_MS } from './lastSecond';
import { cancelSignalOf, sleepUnlessAborted } from './sleep';

export type RequestKind = 'submit' | 'read' | 'download';

export const MAX_API_IN_FLIGHT = 128;
export const FIRST_WINDOW = 24;
export const MAX_DOWNLOADS = 4;
// After a 429 the run keeps this share of the rate it was getting; every quiet RECOVERY_MS adds one more
// request per second.
const RATE_AFTER_LIMIT = 0.9;
const RECOVERY_MS = 5_000;
const HISTORY_MS = 3_000;

interface Waiter {
	kind: RequestKind;
	start: () => void;
}

export class RequestBudget {
	private apiInFlight = 0;
	/** API requests allowed in flight now: grows from FIRST_WINDOW to MAX_API_IN_FLIGHT. */
	private window = FIRST_WINDOW;
	private acceptedSinceGrowth = 0;
	private downloadsInFlight = 0;
	private readonly waiting: Waiter[] = [];
	private pausedUntil = 0;
	/** API requests per second the run allows itself; unlimited until the API says otherwise. */
	private ratePerSecond = Infinity;
	private lastLimitedAt = 0;
	// Stryker disable next-line BooleanLiteral: true would only make the first request learn from no answers, which learns nothing
	private slowDownPending = false;
	private lastApiStart = 0;
	/** When the API requests of the last second started, and when answers without a 429 came (slow start). */
	private readonly recentStarts: number[] = [];
	private readonly recentAcceptances: number[] = [];
	private apiSuccesses: number[] = [];
	private wakeScheduled = false;

	constructor(private readonly signal?: AbortSignal) {}

	/** Runs `work` when the budget allows a request of this kind. */
	async run<T>(kind: RequestKind, work: () => Promise<T>): Promise<T> {
		await new Promise<void>((start) => {
			this.waiting.push({ kind, start });
			this.dispatch();
		});
		try {
			return await work();
		} finally {
			if (kind === 'download') this.downloadsInFlight--;
			else this.apiInFlight--;
			this.dispatch();
		}
	}

	/** An API request got a 429: every API request of the run waits, and the run slows down. */
	rateLimited(retryAfterMs: number, now = Date.now()): void {
		this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
		this.lastLimitedAt = now;
		// The 429s of requests sent together arrive together, before all the answers that were accepted:
		// the new rate is set once, when the pause ends, from what the API had accepted by then.
		this.slowDownPending = true;
		this.window = Math.max(Math.floor(this.window / 2), 4);
		this.acceptedSinceGrowth = 0;
		this.dispatch();
	}

	/**
	 * The most API requests sent in any second of the last few that were answered without a 429: what the
	 * API accepted, counted as it counts (by arrival), not by when the answers came back.
	 */
	private acceptedPerSecond(now: number): number {
		this.forgetSuccessesBefore(now - HISTORY_MS);
		return mostInAnySecond(this.apiSuccesses);
	}

	/** Kept by send time, which answers do not come back in order of: filtered, not cut at the front. */
	private forgetSuccessesBefore(cutoff: number): void {
		this.apiSuccesses = this.apiSuccesses.filter((at) => at >= cutoff);
	}

	private slowDown(now: number): void {
		this.slowDownPending = false;
		const accepted = this.acceptedPerSecond(now);
		// With nothing accepted yet there is no rate to learn: the pause was all.
		if (accepted === 0) return;
		this.ratePerSecond = Math.max(
			1,
			Math.floor(Math.min(this.ratePerSecond, accepted) * RATE_AFTER_LIMIT),
		);
	}

	/** An API request sent at `sentAt` was answered without a 429 (now). */
	succeeded(sentAt = Date.now()): void {
		const now = Date.now();
		pushRecent(this.recentAcceptances, now);
		if (++this.acceptedSinceGrowth >= this.window) {
			this.window = Math.min(this.window * 2, MAX_API_IN_FLIGHT);
			this.acceptedSinceGrowth = 0;
		}
		this.apiSuccesses.push(sentAt);
		this.forgetSuccessesBefore(now - HISTORY_MS); // a run may poll for hours
		// Creeps back up while no 429 comes (before any, the rate is Infinity, which one more leaves so).
		if (sentAt - this.lastLimitedAt >= RECOVERY_MS) {
			this.ratePerSecond++;
			this.lastLimitedAt = sentAt;
		}
		this.dispatch(); // the slow start may allow more now
	}

	/** Starts every waiter the budget allows now, submits before reads; schedules a wake-up if paused. */
	private dispatch(): void {
		const now = Date.now();
		for (const kind of ['submit', 'read', 'download'] as const) {
			for (let index = 0; index < this.waiting.length;) {
				const waiter = this.waiting[index];
				if (waiter.kind !== kind) {
					index++;
					continue;
				}
				const delay = this.delayFor(kind, now);
				if (delay === null) break;
				if (delay > 0) {
					this.wakeAfter(delay);
					break;
				}
				this.waiting.splice(index, 1);
				if (kind === 'download') {
					this.downloadsInFlight++;
				} else {
					this.apiInFlight++;
					this.lastApiStart = now;
					pushRecent(this.recentStarts, now);
				}
				waiter.start();
			}
		}
	}

	/** 0: may start now; a positive number: may start in that many ms; null: when a request ends. */
	private delayFor(kind: RequestKind, now: number): number | null {
		if (kind === 'download') return this.downloadsInFlight < MAX_DOWNLOADS ? 0 : null;
		if (this.apiInFlight >= this.window) return null;
		if (now < this.pausedUntil) return this.pausedUntil - now;
		if (this.slowDownPending) this.slowDown(now);
		if (this.ratePerSecond === Infinity) return this.slowStartDelay(now);
		// Evenly spaced, not in bursts: then no second of any kind (sliding, fixed, a bucket) holds more
		// than the rate, whatever the requests' way to the API adds.
		return Math.max(0, Math.ceil(this.lastApiStart + 1000 / this.ratePerSecond - now));
	}

	/**
	 * Before any 429: in any second, at most twice as many requests start as answers came without a 429 in
	 * the last second (FIRST_WINDOW before any came), so a rate limit is met by a small overshoot.
	 */
	private slowStartDelay(now: number): number {
		dropBefore(this.recentStarts, now - WINDOW_MS);
		dropBefore(this.recentAcceptances, now - WINDOW_MS);
		const allowed = Math.max(FIRST_WINDOW, 2 * this.recentAcceptances.length);
		if (this.recentStarts.length < allowed) return 0;
		return this.recentStarts[0] + WINDOW_MS - now; // then the first has left the last second
	}

	private wakeAfter(ms: number): void {
		if (this.wakeScheduled) return;
		this.wakeScheduled = true;
		void sleepUnlessAborted(ms, this.signal)
			.catch(() => undefined)
			.then(() => {
				this.wakeScheduled = false;
				this.dispatch();
			});
	}
}

const budgets = new WeakMap<object, RequestBudget>();

/** The budget of the run this context belongs to: n8n gives each node run (and each callback) one context. */
export function budgetOf(ctx: IExecuteFunctions | IWebhookFunctions): RequestBudget {
	let budget = budgets.get(ctx);
	if (!budget) {
		budget = new RequestBudget(cancelSignalOf(ctx));
		budgets.set(ctx, budget);
	}
	return budget;
}
