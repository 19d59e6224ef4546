/**
 * Whether a callback starts the workflow, decided from what is known: the API's answer about the task,
 * the filters, and the outcomes already started. Pure: the handler (triggerWebhook.ts) reads and answers.
 */
import {
	isTerminalStatus,
	normaliseStatus,
	toTaskOutput,
	type MaxApiTask,
	type TaskOutput,
} from '../shared/task';

export type TriggerDecision =
	| { refuse: number; error: string }
	/** Fine, but not wanted: answered 200, nothing starts. */
	| { ignore: string }
	| { start: TaskOutput };

/** What MaxAPI said when asked about the task (or the callback's own task, if it is not asked). */
export type ApiAnswer = { task: MaxApiTask } | { unknown: true } | { unreachable: string };

export interface Filters {
	/** Final statuses that start the workflow; none: all. */
	outcomes: string[];
	/** Models that start the workflow; none: all. */
	models: string[];
}

/** A task's outcome: the workflow starts once per task and final status, however often MaxAPI calls. */
export function outcomeOf(taskId: string, status: unknown): string {
	return `${taskId}:${normaliseStatus(status)}`;
}

export function decide(
	taskId: string,
	answer: ApiAnswer,
	filters: Filters,
	isStarted: (outcome: string) => boolean,
): TriggerDecision {
	if ('unknown' in answer) return { refuse: 404, error: `MaxAPI does not know task ${taskId}` };
	if ('unreachable' in answer) {
		return {
			refuse: 503,
			error: `Could not confirm task ${taskId} with MaxAPI (${answer.unreachable}); call again later`,
		};
	}
	if (!isTerminalStatus(String(answer.task.status))) {
		return {
			refuse: 409,
			error: `MaxAPI says task ${taskId} is ${normaliseStatus(answer.task.status)}, not finished`,
		};
	}
	const output = toTaskOutput(answer.task);
	if (filters.outcomes.length > 0 && !filters.outcomes.includes(output.status)) {
		return { ignore: `outcome ${output.status} is filtered out` };
	}
	if (filters.models.length > 0 && !filters.models.includes(String(output.model))) {
		return { ignore: `model ${output.model} is filtered out` };
	}
	if (isStarted(outcomeOf(taskId, output.status))) return { ignore: 'duplicate' };
	return { start: output };
}
