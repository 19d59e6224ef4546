/** Whether a request to the Trigger's webhook is a MaxAPI callback at all: its secret and its body. */
import { createHash, timingSafeEqual } from 'crypto';

import { isObject } from '../shared/errors';
import { isTerminalStatus, TASK_ID_PATTERN, type MaxApiTask } from '../shared/task';

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
export function secretMatches(given: unknown, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return (
		typeof given === 'string' && expected !== '' && timingSafeEqual(digest(given), digest(expected))
	);
}

/** The task a callback body names, or why the body is not a MaxAPI callback. */
export function taskFromBody(body: unknown): { task: MaxApiTask } | { problem: string } {
	if (!isObject(body)) return { problem: 'The body is not a JSON object' };
	if (body.code !== undefined && body.code !== 0)
		return { problem: 'The envelope reports an error (code is not 0)' };
	const data = body.data;
	if (!isObject(data)) return { problem: 'The body has no task in "data"' };
	const task = data as MaxApiTask;
	if (typeof task.taskId !== 'string' || !TASK_ID_PATTERN.test(task.taskId)) {
		return { problem: 'data.taskId is missing or not a task ID' };
	}
	if (typeof task.status !== 'string' || !isTerminalStatus(task.status)) {
		return {
			problem: 'data.status is not a final task status (SUCCESS, FAILURE, TIMEOUT or CANCELLED)',
		};
	}
	return { task };
}

/** The task a request claims has ended, or the answer that refuses it (403 or 400). */
export function checkRequest(
	query: { secret?: unknown },
	body: unknown,
	secret: string,
): { claimed: MaxApiTask } | { refuse: number; error: string } {
	if (!secretMatches(query.secret, secret))
		return { refuse: 403, error: 'Wrong or missing secret' };
	const parsed = taskFromBody(body);
	if ('problem' in parsed)
		return { refuse: 400, error: `Not a MaxAPI task callback: ${parsed.problem}` };
	return { claimed: parsed.task };
}
