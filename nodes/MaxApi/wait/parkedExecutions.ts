/**
 * What this n8n process remembers about the executions parked for callbacks, so that callbacks of one
 * execution need not redo each other's work. Each is only a saving, never the truth: a callback that
 * reaches another process (queue mode) or comes after a restart works it out again from the API.
 */
import type { INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { BoundedMemory } from '../../shared/boundedMemory';
import { isTerminalStatus, taskFromOutput, type TaskOutput } from '../../shared/task';
import type { ItemState } from './itemState';
import { ParkedTasks } from './parkedTasks';

const EXECUTIONS_REMEMBERED = 100;

/** One park of an execution, as this process knows it. */
export interface Park {
	/** The execution and its first task: a workflow may park one execution again (e.g. in a loop). */
	key: string;
	states: ItemState[];
	tasks: ParkedTasks;
}

// Per execution, its current park: the parked items do not change while it waits, and reading them
// through n8n's expression engine costs a lot for a big batch on every callback.
const parkByExecution = new BoundedMemory<Park>(EXECUTIONS_REMEMBERED);

/**
 * The park a callback about `calledFor` belongs to, with fresh item states for this callback (each
 * fills in its own reads). The parked items are read again when the task is not among those known:
 * the execution may have resumed and parked anew since (through another process, in queue mode).
 */
export function parkOf(ctx: IWebhookFunctions, executionId: string, calledFor: string): Park {
	let park = parkByExecution.get(executionId);
	const known = park?.states.some((state) => state.kind === 'task' && state.taskId === calledFor);
	if (!park || !known) {
		const states = parkedStates(ctx);
		const first = states.find((state) => state.kind === 'task');
		const key = `${executionId}:${first?.kind === 'task' ? first.taskId : ''}`;
		if (park?.key !== key) {
			park = { key, states, tasks: new ParkedTasks(taskIdsOf(states), finishedIn(states)) };
			parkByExecution.set(executionId, park);
		}
	}
	return { ...park, states: park.states.map((state) => ({ ...state })) };
}

const taskIdsOf = (states: ItemState[]) =>
	states.flatMap((state) => (state.kind === 'task' ? [state.taskId] : []));

const finishedIn = (states: ItemState[]) =>
	states.flatMap((state) =>
		state.kind === 'task' && state.task && isTerminalStatus(String(state.task.status))
			? [state.task]
			: [],
	);

// Parks (see Park.key) this process has resumed. n8n lets one resume through and answers later callbacks 409, but
// copies that overlap would each download every file (and n8n answers all but one 500) otherwise.
export const resumedHere = new BoundedMemory<true>(10_000, 10 * 60_000);

/** The parked items (the data n8n passes on at the time limit) as item states. */
function parkedStates(ctx: IWebhookFunctions): ItemState[] {
	const items = ctx.evaluateExpression('{{ $input.all() }}', 0) as INodeExecutionData[];
	return items.map((item, index): ItemState => {
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
		const task = item.json.finished === true ? taskFromOutput(item.json as TaskOutput) : undefined;
		const reference = typeof item.json.reference === 'string' ? item.json.reference : undefined;
		return { kind: 'task', itemIndex, taskId, task, reference };
	});
}

/** Forgets an execution's park once it has resumed. */
export function forgetParked(executionId: string): void {
	parkByExecution.delete(executionId);
}
