/** One input item on its way through Submit and the wait, and what waiting makes of it. */
import type {
	IBinaryKeyData,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type { MaxApiTask } from '../../shared/task';

export type ItemError = NodeApiError | NodeOperationError;

/** Result files of a task: downloaded, or why not. */
export type Files = { binary: IBinaryKeyData } | { error: ItemError };

/** An item with a task at MaxAPI, waited for. */
/** What every item carries: its input item, and the caller's own Reference if Submit was given one. */
interface Item {
	itemIndex: number;
	reference?: string;
}

export interface TaskState extends Item {
	kind: 'task';
	taskId: string;
	/** When it was submitted, if in this run: polling paces itself by the task's age. */
	submittedAt?: number;
	/** The latest read of the task. */
	task?: MaxApiTask;
	/** Why the task cannot be read: a permanent error, or any error if it was never read. */
	readError?: ItemError;
	/** Its result files, downloading or downloaded (started as soon as it finished). */
	files?: Promise<Files>;
}

export type ItemState =
	| (Item & { kind: 'failed'; error: ItemError })
	/** Already settled (e.g. an error item kept while the execution was parked): passed on as it is. */
	| (Item & { kind: 'settled'; item: INodeExecutionData })
	| TaskState;

export const isTaskState = (state: ItemState): state is TaskState => state.kind === 'task';
