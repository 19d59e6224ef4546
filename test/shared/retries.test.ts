/** When a request is sent again, and after how long (pure; transport.test.ts runs them over HTTP). */
import {
	backoffMs,
	connectionErrorCode,
	isRetryableConnectionError,
	isTransientCode,
	retryAfterMs,
} from '../../nodes/shared/retries';

describe('retries', () => {
	test('Retry-After is read as seconds or as an HTTP date, and bounded', () => {
		// A fake clock: an HTTP date means "until then", so the answer depends on the time now.
		jest.useFakeTimers({ now: Date.parse('2026-11-29T12:00:00Z') });
		try {
			expect(retryAfterMs({ 'retry-after': 'Sun, 29 Nov 2026 12:00:07 GMT' })).toBe(7000);
			expect(retryAfterMs({ 'retry-after': 'Sun, 29 Nov 2026 11:59:00 GMT' })).toBe(0);
			expect(retryAfterMs({ 'retry-after': 'Sun, 29 Nov 2026 13:00:00 GMT' })).toBe(60_000);
			expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
			expect(retryAfterMs({ 'retry-after': '0' })).toBe(0);
			expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
			expect(retryAfterMs({ 'retry-after': '' })).toBeUndefined();
			expect(retryAfterMs({ 'retry-after': '  ' })).toBeUndefined();
			expect(retryAfterMs({ 'retry-after': ' 2 ' })).toBe(2000);
			expect(retryAfterMs({ 'retry-after': null })).toBeUndefined();
			expect(retryAfterMs({})).toBeUndefined();
			expect(retryAfterMs(undefined)).toBeUndefined();
		} finally {
			jest.useRealTimers();
		}
	});

	test('back-off doubles from half a second up to eight', () => {
		expect([1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([
			500, 1000, 2000, 4000, 8000, 8000, 8000,
		]);
	});

	test('429 and 5xx are worth asking again, other codes not', () => {
		expect([429, 500, 502, 503].every(isTransientCode)).toBe(true);
		expect([400, 401, 404, 428, 499].some(isTransientCode)).toBe(false);
	});

	test('a read is retried after any passing network failure, a submit only when it was never sent', () => {
		for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
			expect(isRetryableConnectionError(code, 'read')).toBe(true);
			expect(isRetryableConnectionError(code, 'submit')).toBe(true);
		}
		for (const code of [
			'ECONNRESET',
			'ETIMEDOUT',
			'ECONNABORTED',
			'EPIPE',
			'ERR_SOCKET_CONNECTION_TIMEOUT',
		]) {
			expect(isRetryableConnectionError(code, 'read')).toBe(true);
			expect(isRetryableConnectionError(code, 'submit')).toBe(false);
		}
		expect(isRetryableConnectionError('UNKNOWN', 'read')).toBe(false);
	});

	test('the network error code is found on the error or two causes deep, and nothing else passes for one', () => {
		expect(connectionErrorCode({ code: 'ECONNRESET' })).toBe('ECONNRESET');
		expect(connectionErrorCode({ cause: { code: 'ETIMEDOUT' } })).toBe('ETIMEDOUT');
		expect(connectionErrorCode({ cause: { cause: { code: 'EPIPE' } } })).toBe('EPIPE');
		expect(connectionErrorCode({ code: 'ERR_BAD', cause: { code: 'EPIPE' } })).toBe('ERR_BAD');
		expect(connectionErrorCode({ code: 42, cause: { code: 'EAI_AGAIN' } })).toBe('EAI_AGAIN');
		expect(connectionErrorCode({ code: 'not a code' })).toBe('UNKNOWN');
		expect(connectionErrorCode({ code: 'xEPIPE' })).toBe('UNKNOWN');
		expect(connectionErrorCode({ code: 'EPIPE-1' })).toBe('UNKNOWN');
		expect(connectionErrorCode(undefined)).toBe('UNKNOWN');
	});
});
