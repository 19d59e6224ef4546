/** What a callback to a parked execution leads to (pure; resumeWebhook.test.ts runs it over HTTP). */
import {
	afterCheck,
	onArrival,
	taskCalledFor,
	type ParkView,
} from '../../../nodes/MaxApi/wait/resumeDecision';

const park = (over: Partial<ParkView> = {}): ParkView & { noted: string[] } => {
	const noted: string[] = [];
	return {
		resuming: false,
		waitsFor: (taskId) => taskId === 'a' || taskId === 'b',
		note: (taskId) => {
			noted.push(taskId);
			return 'check';
		},
		noted,
		...over,
	};
};

describe('taskCalledFor', () => {
	test('the task ID in the body, whatever status it claims', () => {
		expect(taskCalledFor({ code: 0, data: { taskId: 'a', status: 'PROCESSING' } })).toBe('a');
	});

	test.each([
		['text'],
		[{}],
		[{ data: 'a' }],
		[{ data: { taskId: '' } }],
		[{ data: { taskId: 7 } }],
	])('%j is not a callback: 400', (body) => {
		expect(taskCalledFor(body)).toEqual({
			status: 400,
			body: {
				received: false,
				error:
					'Not a MaxAPI task callback: expected a JSON body {code, msg, data: {taskId, status, …}}',
			},
		});
	});
});

describe('onArrival', () => {
	test('a task of the park, with nobody reading here: this callback checks', () => {
		const view = park();
		expect(onArrival('a', view)).toBe('check');
		expect(view.noted).toEqual(['a']);
	});

	test('a task of the park, noted for the callback that is reading: answered 200 at once', () => {
		expect(onArrival('a', park({ note: () => 'noted' }))).toEqual({
			status: 200,
			body: { received: true, resumed: false },
		});
	});

	test('a task the execution does not wait for: 404, nothing noted', () => {
		const view = park();
		expect(onArrival('z', view)).toEqual({
			status: 404,
			body: { received: false, error: 'Task z is not one this execution waits for' },
		});
		expect(view.noted).toEqual([]);
	});

	test('the execution is already resuming here: 200 saying so, before anything else', () => {
		const view = park({ resuming: true });
		expect(onArrival('z', view)).toEqual({
			status: 200,
			body: { received: true, resumed: false, reason: 'the execution is already resuming' },
		});
		expect(view.noted).toEqual([]);
	});
});

describe('afterCheck', () => {
	test('every task finished: resume', () => {
		expect(afterCheck({ everyTaskFinished: true }, false)).toBe('resume');
	});

	test('a task still running, or another callback here resumed first: 200, not resumed', () => {
		const notResumed = { status: 200, body: { received: true, resumed: false } };
		expect(afterCheck({ everyTaskFinished: false }, false)).toEqual(notResumed);
		expect(afterCheck({ everyTaskFinished: true }, true)).toEqual(notResumed);
	});

	test('MaxAPI could not be asked: 503, call again later, with the reason', () => {
		expect(afterCheck({ readFailed: 'no answer in time' }, false)).toEqual({
			status: 503,
			body: {
				received: false,
				error: 'Could not confirm the tasks with MaxAPI (no answer in time); call again later',
			},
		});
	});
});
