/**
 * What one callback to a parked execution leads to, decided from what is known: the body, the park as
 * this process knows it, and the result of the check. Pure: the handler (resumeWebhook.ts) reads,
 * resumes and answers.
 */
import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../../shared/errors';

/** An HTTP answer to MaxAPI, sent without resuming. */
export interface Answer {
	status: number;
	body: IDataObject;
}

const NOTHING_TO_DO: Answer = { status: 200, body: { received: true, resumed: false } };

/** The task a callback body names; MaxAPI's own claim of its status is not trusted. */
export function taskCalledFor(body: unknown): string | Answer {
	const taskId = isObject(body) && isObject(body.data) ? body.data.taskId : undefined;
	if (typeof taskId === 'string' && taskId !== '') return taskId;
	return {
		status: 400,
		body: {
			received: false,
			error:
				'Not a MaxAPI task callback: expected a JSON body {code, msg, data: {taskId, status, …}}',
		},
	};
}

/** What this process knows of the park a callback belongs to. */
export interface ParkView {
	/** This process has begun resuming it. */
	resuming: boolean;
	waitsFor(taskId: string): boolean;
	/** Notes the callback (see ParkedTasks.noteCallback): 'check' if this callback is to read. */
	note(taskId: string): 'check' | 'noted';
}

/** As a callback arrives: answered at once, or it checks the tasks with the API ('check'). */
export function onArrival(calledFor: string, park: ParkView): Answer | 'check' {
	if (park.resuming) {
		return {
			status: 200,
			body: { received: true, resumed: false, reason: 'the execution is already resuming' },
		};
	}
	if (!park.waitsFor(calledFor)) {
		return {
			status: 404,
			body: { received: false, error: `Task ${calledFor} is not one this execution waits for` },
		};
	}
	return park.note(calledFor) === 'noted' ? NOTHING_TO_DO : 'check';
}

/** Once the check is over: resume, or why not. `resuming`: another callback here got there first. */
export function afterCheck(
	check: { everyTaskFinished: boolean } | { readFailed: string },
	resuming: boolean,
): Answer | 'resume' {
	if ('readFailed' in check) {
		return {
			status: 503,
			body: {
				received: false,
				error: `Could not confirm the tasks with MaxAPI (${check.readFailed}); call again later`,
			},
		};
	}
	return check.everyTaskFinished && !resuming ? 'resume' : NOTHING_TO_DO;
}
