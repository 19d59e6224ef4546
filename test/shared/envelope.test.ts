/** Reading MaxAPI's answers: the HTTP status and the envelope together (pure). */
import { readReply } from '../../nodes/shared/envelope';

describe('readReply', () => {
	test('success needs both a 2xx status and code 0', () => {
		expect(readReply(200, { code: 0, msg: 'ok', data: { taskId: 't' } })).toEqual({
			ok: true,
			data: { taskId: 't' },
		});
		expect(readReply(299, { code: 0, data: [1] })).toEqual({ ok: true, data: [1] });
	});

	test('an error in the envelope counts on a 200', () => {
		expect(readReply(200, { code: 401, msg: 'bad key', data: { hint: 'x' } })).toEqual({
			ok: false,
			code: 401,
			msg: 'bad key',
			data: { hint: 'x' },
		});
	});

	test('an HTTP error counts whatever the envelope says; its code wins if it names one', () => {
		expect(readReply(500, { code: 0, msg: 'ok' })).toEqual({
			ok: false,
			code: 500,
			msg: 'ok',
			data: undefined,
		});
		expect(readReply(429, { code: 4291, msg: 'slow down' })).toMatchObject({
			ok: false,
			code: 4291,
		});
		expect(readReply(502, 'Bad gateway')).toEqual({
			ok: false,
			code: 502,
			msg: 'HTTP 502',
			data: undefined,
		});
		expect(readReply(300, { code: 0 })).toMatchObject({ ok: false, code: 300 });
		expect(readReply(199, { code: 0 })).toMatchObject({ ok: false, code: 199 });
	});

	test('a 2xx answer that is not an envelope is an error that points at the Base URL', () => {
		const reply = readReply(200, '<html>');
		expect(reply).toMatchObject({ ok: false, code: 200 });
		expect(reply.ok === false && reply.msg).toMatch(/not a MaxAPI envelope.*Base URL/);
		expect(readReply(200, { code: '0' })).toMatchObject({ ok: false, code: 200 });
	});

	test('data that is not an object is left out of an error', () => {
		expect(readReply(400, { code: 400, msg: 'no', data: 'text' })).toEqual({
			ok: false,
			code: 400,
			msg: 'no',
			data: undefined,
		});
	});
});
