/**
 * What this n8n process remembers about the executions parked for callbacks, so that callbacks of one
 * execution need not redo each other's work. Each is only a saving, never the truth: a callback that
 * reaches another process (queue mode) or comes after a restart works it out again from the API.
 */
import type { INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { CallbackMemory } from '../../shared/callbackMemory';
import { isTerminalStatus, taskFromOutput, type TaskOutput } from '../../shared/task';
import type { ItemState } from './outcome';
import { ParkedTasks } from './parkedTasks';

const tasksByExecution = new Map<string, ParkedTasks>();
const EXECUTIONS_REMEMBERED = 100;

/** What this process knows of a parked execution's tasks (made from its parked items the first time). */
export function parkedTasksOf(executionId: string, states: ItemState[]): ParkedTasks {
	return (
		tasksByExecution.get(executionId) ??
		remember(
			tasksByExecution,
			executionId,
			new ParkedTasks(
				states.flatMap((state) => (state.kind === 'task' ? [state.taskId] : [])),
				states.flatMap((state) =>
					state.kind === 'task' && state.task && isTerminalStatus(String(state.task.status))
						? [state.task]
						: [],
				),
			),
		)
	);
}

/** Keeps `value` under `key`, and no more than EXECUTIONS_REMEMBERED keys (the oldest go first). */
function remember<T>(memory: Map<string, T>, key: string, value: T): T {
	memory.set(key, value);
	for (const oldest of memory.keys()) {
		if (memory.size <= EXECUTIONS_REMEMBERED) break;
		memory.delete(oldest);
	}
	return value;
}

// Executions this process has resumed. n8n lets one resume through and answers later callbacks 409, but
// copies that overlap would each download every file (and n8n answers all but one 500) otherwise.
export const resumedHere = new CallbackMemory(10 * 60_000, 10_000);

// The parked items of an execution as item states, per process: they do not change while it waits, and
// reading them through n8n's expression engine costs a lot for a big batch on every callback.
const parkedByExecution = new Map<string, ItemState[]>();

/** Fresh item states for this callback (each callback fills in its own reads). */
export function parkedStatesOf(ctx: IWebhookFunctions, executionId: string): ItemState[] {
	let parked = parkedByExecution.get(executionId);
	if (!parked) {
		const items = ctx.evaluateExpression('{{ $input.all() }}', 0) as INodeExecutionData[];
		parked = items.map((item, index): ItemState => {
			const itemIndex = (item.pairedItem as { item?: number } | undefined)?.item ?? index;
			const taskId = item.json.taskId;
			if (item.json.error !== undefined || typeof taskId !== 'string') {
				return {
					kind: 'settled',
					itemIndex,
					item: { json: item.json, pairedItem: { item: itemIndex } },
				};
			}
			// A task that had finished when the execution parked was read from the API then; it stays finished.
			const task =
				item.json.finished === true ? taskFromOutput(item.json as TaskOutput) : undefined;
			return { kind: 'task', itemIndex, taskId, task };
		});
		remember(parkedByExecution, executionId, parked);
	}
	return parked.map((state) => ({ ...state }));
}

/** Forgets an execution once it has resumed. */
export function forgetParked(executionId: string): void {
	tasksByExecution.delete(executionId);
	parkedByExecution.delete(executionId);
}
