/**
 * Submits every checked item's task, several at once within the run's request budget. A submit is never
 * sent twice (transport.ts). If one fails and the run is to stop, no further submit is sent, the ones
 * already on their way finish, and the error lists every task that was created: they keep running at
 * MaxAPI, and are paid for.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { submitTask, type TaskRequest } from '../../../shared/api';
import { MAX_API_IN_FLIGHT } from '../../../shared/budget';
import { forEachConcurrently } from '../../../shared/concurrency';
import { asNodeError } from '../../../shared/errors';
import { NotSentError } from '../../../shared/transport';

export type SubmitResult =
	| { itemIndex: number; taskId: string; submittedAt: number }
	| { itemIndex: number; error: NodeApiError | NodeOperationError };

export async function submitTasks(
	ctx: IExecuteFunctions,
	requests: Map<number, TaskRequest>,
): Promise<SubmitResult[]> {
	const results: SubmitResult[] = [];
	let stopping: NodeApiError | NodeOperationError | undefined;
	await forEachConcurrently([...requests], MAX_API_IN_FLIGHT, async ([itemIndex, request]) => {
		if (stopping) return;
		try {
			const taskId = await submitTask(ctx, request, itemIndex, () => stopping === undefined);
			results.push({ itemIndex, taskId, submittedAt: Date.now() });
		} catch (error) {
			if (error instanceof NotSentError) return;
			const nodeError = asNodeError(ctx.getNode(), error, itemIndex);
			if (!ctx.continueOnFail()) stopping ??= nodeError;
			results.push({ itemIndex, error: nodeError });
		}
	});
	results.sort((a, b) => a.itemIndex - b.itemIndex);
	if (stopping) throw withSubmittedTasks(stopping, results);
	return results;
}

/** A run that stops half-way must not lose the IDs of tasks already paid for. */
function withSubmittedTasks<T extends NodeApiError | NodeOperationError>(
	error: T,
	results: SubmitResult[],
): T {
	const submitted = results.flatMap((result) =>
		'taskId' in result ? [`item ${result.itemIndex}: ${result.taskId}`] : [],
	);
	if (submitted.length > 0) {
		error.description =
			`${error.description ?? ''}\nTasks already submitted in this run keep running at MaxAPI: ${submitted.join(', ')}.`.trim();
	}
	return error;
}
