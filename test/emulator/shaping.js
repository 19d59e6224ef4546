'use strict';
// Shaping, so a benchmark can play a hosted API: the API latency (fixed + jitter) of /api/v1 answers, a rate
// limit on /api/v1 of the kind real APIs use (rateLimitKind), and the download bandwidth of /files. The knobs
// live in state.opts and may change at run time (configure()).

const SHAPING_OPTIONS = [
	'apiLatencyMs',
	'apiJitterMs',
	'rateLimit',
	'rateLimitKind',
	'downloadBytesPerSecond',
];
/**
 * token-bucket: rateLimit tokens, refilled continuously (bursts up to rateLimit, then rateLimit a second);
 * sliding-window: at most rateLimit requests in any 1000 ms; fixed-window: at most rateLimit in each
 * calendar second (so up to twice that across a boundary); in-flight: at most rateLimit accepted requests
 * not yet answered, whatever the rate.
 */
const RATE_LIMIT_KINDS = ['token-bucket', 'sliding-window', 'fixed-window', 'in-flight'];
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
	if (key === 'rateLimitKind' && !RATE_LIMIT_KINDS.includes(value))
		throw new TypeError(`rateLimitKind must be one of ${RATE_LIMIT_KINDS.join(', ')}`);
}

/** The wait before an /api/v1 answer: apiLatencyMs ± apiJitterMs (uniform), in whole ms, never below 0. */
function apiDelayMs(opts) {
	const jitter = opts.apiJitterMs > 0 ? (Math.random() * 2 - 1) * opts.apiJitterMs : 0;
	return Math.max(0, Math.round(opts.apiLatencyMs + jitter));
}

/**
 * The rate limit on /api/v1, of the kind opts.rateLimitKind (RATE_LIMIT_KINDS) with opts.rateLimit. Its state
 * starts afresh at the start, after reset() and whenever the limit or its kind changes.
 */
function createRateLimiter(opts) {
	let limiter = null; // { rate, kind, take, release }

	/**
	 * Takes a place. Returns null when the request may go on (then release() once it is answered), else the
	 * whole seconds to wait (≥ 1), for Retry-After.
	 */
	function take(now = Date.now()) {
		const rate = opts.rateLimit;
		if (rate === null || rate === undefined) return null;
		const kind = opts.rateLimitKind ?? 'token-bucket';
		if (limiter === null || limiter.rate !== rate || limiter.kind !== kind)
			limiter = { rate, kind, ...LIMITERS[kind](rate, now) };
		return limiter.take(now);
	}

	return {
		take,
		/** An accepted request has been answered (or its connection is gone). */
		release: () => limiter?.release?.(),
		/** Starts the limit afresh (reset()). */
		refill: () => {
			limiter = null;
		},
	};
}

const LIMITERS = {
	'token-bucket'(rate, startedAt) {
		const capacity = Math.max(1, rate);
		let tokens = capacity;
		let at = startedAt;
		return {
			take(now) {
				tokens = Math.min(capacity, tokens + (Math.max(0, now - at) * rate) / 1000);
				at = now;
				// The epsilon keeps float sums such as 3 × (1/3) from missing a whole token.
				if (tokens >= 1 - 1e-9) {
					tokens = Math.max(0, tokens - 1);
					return null;
				}
				return Math.max(1, Math.ceil((1 - tokens) / rate));
			},
		};
	},
	'sliding-window'(rate) {
		const most = Math.max(1, Math.floor(rate));
		const accepted = []; // times of the requests accepted in the last second, oldest first
		return {
			take(now) {
				while (accepted.length > 0 && accepted[0] <= now - 1000) accepted.shift();
				if (accepted.length < most) {
					accepted.push(now);
					return null;
				}
				return Math.max(1, Math.ceil((accepted[0] + 1000 - now) / 1000));
			},
		};
	},
	'fixed-window'(rate) {
		const most = Math.max(1, Math.floor(rate));
		let second = -1;
		let count = 0;
		return {
			take(now) {
				const current = Math.floor(now / 1000);
				if (current !== second) {
					second = current;
					count = 0;
				}
				if (count < most) {
					count++;
					return null;
				}
				return 1;
			},
		};
	},
	'in-flight'(rate) {
		const most = Math.max(1, Math.floor(rate));
		let active = 0;
		return {
			take() {
				if (active < most) {
					active++;
					return null;
				}
				return 1;
			},
			release() {
				active = Math.max(0, active - 1);
			},
		};
	},
};

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
	RATE_LIMIT_KINDS,
	MAX_CHUNK,
	checkShapingOption,
	apiDelayMs,
	createRateLimiter,
	streamBody,
};
