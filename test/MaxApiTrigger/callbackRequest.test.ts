/** Whether a request to the Trigger is a MaxAPI callback at all (pure; triggerWebhook.test.ts over HTTP). */
import {
	checkRequest,
	secretMatches,
	taskFromBody,
} from '../../nodes/MaxApiTrigger/callbackRequest';

const TASK_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const envelope = (data: unknown, code: unknown = 0) => ({ code, msg: 'ok', data });

describe('secretMatches', () => {
	test('only the exact secret matches; an empty expected secret matches nothing', () => {
		expect(secretMatches('sekret', 'sekret')).toBe(true);
		expect(secretMatches('sekret ', 'sekret')).toBe(false);
		expect(secretMatches('Sekret', 'sekret')).toBe(false);
		expect(secretMatches('', '')).toBe(false);
		expect(secretMatches(undefined, 'sekret')).toBe(false);
		expect(secretMatches(['sekret'], 'sekret')).toBe(false);
	});
});

describe('taskFromBody', () => {
	test('a finished task in an envelope is taken, with or without code', () => {
		const data = { taskId: TASK_ID, status: 'SUCCESS' };
		expect(taskFromBody(envelope(data))).toEqual({ task: data });
		expect(taskFromBody({ data })).toEqual({ task: data });
		expect(taskFromBody(envelope({ taskId: TASK_ID, status: 'failed' }))).toHaveProperty('task');
	});

	test.each([
		['not an object', 'text', 'The body is not a JSON object'],
		['an array', [1], 'The body is not a JSON object'],
		['an error envelope', envelope({ taskId: TASK_ID, status: 'SUCCESS' }, 500), 'code is not 0'],
		['no data', { code: 0 }, 'no task in "data"'],
		['no task ID', envelope({ status: 'SUCCESS' }), 'data.taskId is missing'],
		['a task ID that is no ID', envelope({ taskId: '../x', status: 'SUCCESS' }), 'not a task ID'],
		['a running status', envelope({ taskId: TASK_ID, status: 'PROCESSING' }), 'not a final'],
		['no status', envelope({ taskId: TASK_ID }), 'not a final'],
	])('%s is refused, saying why', (_name, body, problem) => {
		const parsed = taskFromBody(body);
		expect('problem' in parsed && parsed.problem).toContain(problem);
	});
});

describe('checkRequest', () => {
	const body = envelope({ taskId: TASK_ID, status: 'SUCCESS' });

	test('the secret is checked first (403), then the body (400)', () => {
		expect(checkRequest({ secret: 'wrong' }, 'text', 'sekret')).toEqual({
			refuse: 403,
			error: 'Wrong or missing secret',
		});
		expect(checkRequest({}, body, 'sekret')).toMatchObject({ refuse: 403 });
		expect(checkRequest({ secret: 'sekret' }, 'text', 'sekret')).toEqual({
			refuse: 400,
			error: 'Not a MaxAPI task callback: The body is not a JSON object',
		});
	});

	test('a good request gives the task it claims has ended', () => {
		expect(checkRequest({ secret: 'sekret' }, body, 'sekret')).toEqual({ claimed: body.data });
	});
});
