/**
 * webhook() of the MaxApi node: one callback to an execution parked by Callback (Resume) (park.ts). It
 * resumes the execution only when the API says every task has finished (see parkedTasks.ts); every other
 * callback is answered as soon as it is known to bring nothing to decide (resumeDecision.ts).
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import { reply } from '../../shared/webhook';
import { isTaskState } from './itemState';
import { finishItems } from './outcome';
import { readerFor } from './park';
import { forgetParked, parkOf, resumedHere } from './parkedExecutions';
import { afterCheck, onArrival, taskCalledFor, type Answer } from './resumeDecision';
import type { WaitSettings } from './settings';

export async function onResumeCallback(
	ctx: IWebhookFunctions,
	settings: WaitSettings,
): Promise<IWebhookResponseData> {
	const calledFor = taskCalledFor(ctx.getBodyData());
	if (typeof calledFor !== 'string') return reply(ctx, calledFor.status, calledFor.body);

	const executionId = ctx.getExecutionId();
	const park = parkOf(ctx, executionId, calledFor);
	const taskStates = park.states.filter(isTaskState);
	const arrival = onArrival(calledFor, {
		resuming: resumedHere.has(park.key),
		waitsFor: (taskId) => taskStates.some((state) => state.taskId === taskId),
		note: (taskId) => park.tasks.noteCallback(taskId),
	});
	if (arrival !== 'check') return reply(ctx, arrival.status, arrival.body);

	// This callback reads for the execution; once its own round is read it is answered, and it goes on
	// reading for the callbacks that come meanwhile.
	let answered = false;
	const answerOnce = (answer: Answer): IWebhookResponseData => {
		if (answered) return { noWebhookResponse: true };
		answered = true;
		return reply(ctx, answer.status, answer.body);
	};
	let check: { everyTaskFinished: boolean } | { readFailed: string };
	try {
		const everyTaskFinished = await park.tasks.check(readerFor(ctx, taskStates), {
			afterFirstRound: () => answerOnce({ status: 200, body: { received: true, resumed: false } }),
		});
		check = { everyTaskFinished };
	} catch (error) {
		check = { readFailed: asNodeError(ctx.getNode(), error).message };
	}
	const next = afterCheck(check, resumedHere.has(park.key));
	if (next !== 'resume') return answerOnce(next);
	resumedHere.set(park.key, true);
	forgetParked(executionId);

	for (const state of taskStates) state.task = park.tasks.finished.get(state.taskId);
	// Items with an error go to the error output if the node has one: n8n moves them (see errorItem).
	const workflowData = [await finishItems(ctx, park.states, settings, 'item')];
	return { ...answerOnce({ status: 200, body: { received: true, resumed: true } }), workflowData };
}
