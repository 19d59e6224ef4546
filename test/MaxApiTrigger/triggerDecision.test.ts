/** Whether a callback starts the Trigger's workflow (pure; triggerWebhook.test.ts runs it over HTTP). */
import { decide, outcomeOf, type Filters } from '../../nodes/MaxApiTrigger/triggerDecision';

const TASK_ID = 'task-1';
const all: Filters = { outcomes: [], models: [] };
const nothingStarted = () => false;
const finished = (status = 'SUCCESS', model = 'seedance-2.0') => ({
	task: { taskId: TASK_ID, status, input: { model }, result: { type: 'video', urls: ['u'] } },
});

describe('decide', () => {
	test('a finished task, not started before and not filtered out, starts the workflow with its output', () => {
		const decision = decide(TASK_ID, finished(), all, nothingStarted);
		expect(decision).toMatchObject({
			start: { taskId: TASK_ID, status: 'SUCCESS', successful: true, resultUrl: 'u' },
		});
	});

	test('a task MaxAPI does not know: 404', () => {
		expect(decide(TASK_ID, { unknown: true }, all, nothingStarted)).toEqual({
			refuse: 404,
			error: 'MaxAPI does not know task task-1',
		});
	});

	test('MaxAPI cannot be asked: 503, call again later, with the reason', () => {
		expect(decide(TASK_ID, { unreachable: 'no answer in time' }, all, nothingStarted)).toEqual({
			refuse: 503,
			error: 'Could not confirm task task-1 with MaxAPI (no answer in time); call again later',
		});
	});

	test('MaxAPI says the task still runs (a forged or early callback): 409, with its status', () => {
		expect(decide(TASK_ID, finished('PROCESSING'), all, nothingStarted)).toEqual({
			refuse: 409,
			error: 'MaxAPI says task task-1 is PROCESSING, not finished',
		});
	});

	test('the outcome filter: only the chosen final statuses start', () => {
		const onlyFailures: Filters = { outcomes: ['FAILURE'], models: [] };
		expect(decide(TASK_ID, finished('SUCCESS'), onlyFailures, nothingStarted)).toEqual({
			ignore: 'outcome SUCCESS is filtered out',
		});
		// MaxAPI's other spellings count as the status they stand for.
		expect(decide(TASK_ID, finished('FAILED'), onlyFailures, nothingStarted)).toHaveProperty(
			'start',
		);
	});

	test('the model filter: only the chosen models start', () => {
		const onlyVeo: Filters = { outcomes: [], models: ['veo-3.1'] };
		expect(decide(TASK_ID, finished('SUCCESS', 'seedance-2.0'), onlyVeo, nothingStarted)).toEqual({
			ignore: 'model seedance-2.0 is filtered out',
		});
		expect(decide(TASK_ID, finished('SUCCESS', 'veo-3.1'), onlyVeo, nothingStarted)).toHaveProperty(
			'start',
		);
	});

	test('an outcome already started is a duplicate, judged by the status MaxAPI gives', () => {
		const started = new Set([outcomeOf(TASK_ID, 'SUCCESS')]);
		const isStarted = (outcome: string) => started.has(outcome);
		expect(decide(TASK_ID, finished('SUCCESS'), all, isStarted)).toEqual({ ignore: 'duplicate' });
		// Another final status of the same task is another outcome (e.g. cancelled after a failure).
		expect(decide(TASK_ID, finished('CANCELLED'), all, isStarted)).toHaveProperty('start');
	});
});

describe('outcomeOf', () => {
	test('is the task and its final status, in MaxAPI’s main spelling', () => {
		expect(outcomeOf('t', 'failed')).toBe('t:FAILURE');
		expect(outcomeOf('t', 'SUCCESS')).toBe('t:SUCCESS');
		expect(outcomeOf('t', 'SUCCESS')).not.toBe(outcomeOf('u', 'SUCCESS'));
	});
});
