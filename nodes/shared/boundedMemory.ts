/**
 * A memory of this n8n process that cannot grow without end: each key is kept for at most `maxAgeMs`,
 * and at most `maxEntries` keys are kept, the oldest going first. It lives as long as the process and is
 * not saved anywhere, so it is only ever a saving or a first line: static data and the API are the truth.
 */
export class BoundedMemory<T> {
	private readonly kept = new Map<string, { value: T; at: number }>();

	constructor(
		private readonly maxEntries: number,
		private readonly maxAgeMs = Infinity,
	) {}

	get(key: string, now = Date.now()): T | undefined {
		const entry = this.kept.get(key);
		if (entry === undefined) return undefined;
		if (now - entry.at <= this.maxAgeMs) return entry.value;
		this.kept.delete(key);
		return undefined;
	}

	has(key: string, now = Date.now()): boolean {
		return this.get(key, now) !== undefined;
	}

	/** Keeps `value` as the newest entry, and drops the oldest ones beyond the bounds. */
	set(key: string, value: T, now = Date.now()): void {
		this.kept.delete(key);
		this.kept.set(key, { value, at: now });
		// A Map keeps insertion order, so the first keys are the oldest.
		for (const [oldest, { at }] of this.kept) {
			if (this.kept.size <= this.maxEntries && now - at <= this.maxAgeMs) break;
			this.kept.delete(oldest);
		}
	}

	delete(key: string): void {
		this.kept.delete(key);
	}

	/** The keys kept now that start with `prefix`, each with when it was set, oldest first. */
	entries(prefix = '', now = Date.now()): Array<[string, number]> {
		return [...this.kept]
			.filter(([key, { at }]) => key.startsWith(prefix) && now - at <= this.maxAgeMs)
			.map(([key, { at }]) => [key, at]);
	}
}
