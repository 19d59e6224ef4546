/**
 * What this n8n process remembers about the callbacks it has acted on, and a queue per key so that copies
 * of one callback arriving together take turns.
 *
 * n8n gives webhook() no lock, and it loads a workflow's static data from its database for each call and
 * writes it back only after webhook() returns: copies that overlap never see each other in static data.
 * This memory lives as long as the process and is not saved anywhere, so it catches every copy that
 * reaches this process, at the same moment or days later; static data is what other processes (queue
 * mode) and restarts go by.
 */
export class CallbackMemory {
	private readonly handled = new Map<string, number>();
	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(
		private readonly rememberMs: number,
		private readonly maxEntries: number,
	) {}

	/** Runs `work` once every earlier call for the same key has finished, failed or not. */
	async inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
		const before = this.queues.get(key) ?? Promise.resolve();
		const mine = before.then(work, work);
		const settled = mine.then(
			() => undefined,
			() => undefined,
		);
		this.queues.set(key, settled);
		void settled.then(() => {
			if (this.queues.get(key) === settled) this.queues.delete(key);
		});
		return await mine;
	}

	has(key: string, now = Date.now()): boolean {
		const at = this.handled.get(key);
		if (at === undefined) return false;
		if (now - at <= this.rememberMs) return true;
		this.handled.delete(key);
		return false;
	}

	remember(key: string, now = Date.now()): void {
		this.handled.delete(key);
		this.handled.set(key, now);
		// A Map keeps insertion order, so the first keys are the oldest.
		for (const oldest of this.handled.keys()) {
			if (
				this.handled.size <= this.maxEntries &&
				now - this.handled.get(oldest)! <= this.rememberMs
			)
				break;
			this.handled.delete(oldest);
		}
	}

	/** The keys remembered now that start with `prefix`, with when each was remembered. */
	entries(prefix: string, now = Date.now()): Array<[string, number]> {
		return [...this.handled].filter(
			([key, at]) => key.startsWith(prefix) && now - at <= this.rememberMs,
		);
	}

	/** Forgets everything (tests). */
	clear(): void {
		this.handled.clear();
	}
}
