'use strict';
// Shaping, so a benchmark can play a hosted API: the API latency (fixed + jitter) of /api/v1 answers, a rate
// limit on /api/v1 (a token bucket), and the download bandwidth of /files. The knobs live in state.opts and
// may change at run time (configure()).

const SHAPING_OPTIONS = ['apiLatencyMs', 'apiJitterMs', 'rateLimit', 'downloadBytesPerSecond'];
const MAX_CHUNK = 64 * 1024; // the largest piece written at once
const TICKS_PER_SECOND = 50; // a paced download writes about every 20 ms (slower for tiny rates)

const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/** Throws a TypeError when a shaping option has a value it cannot take; other keys pass. */
function checkShapingOption(key, value) {
	if ((key === 'apiLatencyMs' || key === 'apiJitterMs') && !(isNumber(value) && value >= 0))
		throw new TypeError(`${key} must be a non-negative number of milliseconds`);
	if (
		(key === 'rateLimit' || key === 'downloadBytesPerSecond') &&
		value !== null &&
		!(isNumber(value) && value > 0)
	) {
		throw new TypeError(`${key} must be a positive number, or null for none`);
	}
}

/** The wait before an /api/v1 answer: apiLatencyMs ± apiJitterMs (uniform), in whole ms, never below 0. */
function apiDelayMs(opts) {
	const jitter = opts.apiJitterMs > 0 ? (Math.random() * 2 - 1) * opts.apiJitterMs : 0;
	return Math.max(0, Math.round(opts.apiLatencyMs + jitter));
}

/**
 * The rate limit on /api/v1: a token bucket of opts.rateLimit tokens (at least 1) refilled continuously at
 * opts.rateLimit per second, full at the start, after reset() and whenever rateLimit changes.
 */
function createRateLimiter(opts) {
	let bucket = null; // { rate, tokens, at }

	/** Takes a token. Returns null when one was free, else the whole seconds until one is (≥ 1), for Retry-After. */
	function take(now = Date.now()) {
		const rate = opts.rateLimit;
		if (rate === null || rate === undefined) return null;
		const capacity = Math.max(1, rate);
		if (bucket === null || bucket.rate !== rate) bucket = { rate, tokens: capacity, at: now };
		const refill = (Math.max(0, now - bucket.at) * rate) / 1000;
		bucket.tokens = Math.min(capacity, bucket.tokens + refill);
		bucket.at = now;
		// The epsilon keeps float sums such as 3 × (1/3) from missing a whole token.
		if (bucket.tokens >= 1 - 1e-9) {
			bucket.tokens = Math.max(0, bucket.tokens - 1);
			return null;
		}
		return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
	}

	return {
		take,
		/** Fills the bucket again (reset()). */
		refill: () => {
			bucket = null;
		},
	};
}

/**
 * Writes `total` bytes of body and ends res. Each piece (≤ 64 KiB) comes from chunkAt(offset, size), which
 * should return a view, not a copy. rate = bytes per second, or null for as fast as the client reads. A paced
 * piece goes out once the rate allows every byte up to its end, so the body takes total / rate seconds; the
 * timers are state.answerLater ones (stop() clears them, reset() lets them run). Waits for 'drain' whenever the
 * socket is full, so memory stays flat for any size and any rate.
 */
function streamBody(state, res, total, chunkAt, rate) {
	const started = Date.now();
	let sent = 0;
	const pump = () => {
		const allowed =
			rate === null ? total : Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000));
		while (sent < allowed) {
			if (res.destroyed) return;
			const size = Math.min(allowed - sent, MAX_CHUNK);
			const piece = chunkAt(sent, size);
			sent += size;
			if (!res.write(piece)) {
				res.once('drain', pump);
				return;
			}
		}
		if (res.destroyed) return;
		if (sent >= total) {
			res.end();
			return;
		}
		// Next step once about a tick's worth more is allowed (the last step ends exactly at total / rate).
		const quantum = Math.min(total - sent, Math.max(1, Math.floor(rate / TICKS_PER_SECOND)));
		const dueAt = started + ((sent + quantum) * 1000) / rate;
		state.answerLater(pump, Math.max(1, Math.ceil(dueAt - Date.now())));
	};
	pump();
}

module.exports = {
	SHAPING_OPTIONS,
	MAX_CHUNK,
	checkShapingOption,
	apiDelayMs,
	createRateLimiter,
	streamBody,
};
