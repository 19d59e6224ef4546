/**
 * When a request to MaxAPI is sent again, and after how long: reads are repeated on anything passing,
 * a paid submit only when the server provably did not take it.
 */
import type { IDataObject } from 'n8n-workflow';

import { NEVER_SENT_CODES } from './errors';

/**
 * `read`: GET and cancel; repeating them is harmless, so 429, 5xx, resets and time-outs are retried.
 * `submit`: creates a paid task; repeated only when the server provably did not take it (429, or the
 * connection was refused), never after it may have reached the server.
 */
export type RetryPolicy = 'read' | 'submit';

export const MAX_ATTEMPTS = 4;
export const MAX_RATE_LIMITED_ATTEMPTS = 12;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

// Stryker disable StringLiteral: module-level data, built before Stryker activates a mutant; retries.test.ts checks each code
const TRANSIENT_CONNECTION_CODES = [
	...NEVER_SENT_CODES,
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
];
// Stryker restore StringLiteral

/** Worth asking again: the server said "later" or broke, and a read has no side effects. */
export function isTransientCode(code: number): boolean {
	return code === 429 || code >= 500;
}

export function backoffMs(attempt: number): number {
	return Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}

/** Retry-After as seconds or as an HTTP date, bounded so a bad header cannot stall a workflow. */
export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	// Stryker disable next-line StringLiteral: no header reads as any text that is neither a number nor a date
	const value = String(headers?.['retry-after'] ?? '').trim();
	if (value === '') return undefined;
	const seconds = Number(value);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
	if (!Number.isFinite(ms)) return undefined;
	return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

export function connectionErrorCode(error: unknown): string {
	const candidates = [
		(error as { code?: unknown })?.code,
		(error as { cause?: { code?: unknown } })?.cause?.code,
		(error as { cause?: { cause?: { code?: unknown } } })?.cause?.cause?.code,
	];
	const code = candidates.find((value) => typeof value === 'string' && /^E[A-Z_]+$/.test(value));
	return typeof code === 'string' ? code : 'UNKNOWN';
}

export function isRetryableConnectionError(code: string, policy: RetryPolicy): boolean {
	return policy === 'read'
		? TRANSIENT_CONNECTION_CODES.includes(code)
		: NEVER_SENT_CODES.includes(code);
}
