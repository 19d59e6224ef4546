/**
 * MaxAPI's endpoints, and the only place that knows them: submit a task, read it, cancel it. Built on
 * transport.ts, which authenticates, reads the envelope and retries only what is safe to retry.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MaxApiTask } from './task';
import { apiRequest, type RequestContext } from './transport';

export interface TaskRequest {
	model: string;
	input: IDataObject;
	callBackUrl?: string;
	/** The caller's own ID for the end user, for tracing. */
	userId?: string;
}

/** The body of POST /api/v1/task/submit, exactly as sent. */
export function submitBody(request: TaskRequest): IDataObject {
	const body: IDataObject = { model: request.model, input: request.input };
	if (request.callBackUrl) body.callBackUrl = request.callBackUrl;
	if (request.userId) body.user_id = request.userId;
	return body;
}

/**
 * Creates a paid task and returns its ID. Never sent twice once it may have reached MaxAPI. `proceed` is
 * asked right before sending (after waiting for the run's budget): false means the run is stopping and
 * nothing is sent (NotSentError).
 */
export async function submitTask(
	ctx: RequestContext,
	request: TaskRequest,
	itemIndex: number,
	proceed?: () => boolean,
): Promise<string> {
	const data = (await apiRequest(ctx, {
		method: 'POST',
		path: '/api/v1/task/submit',
		body: submitBody(request),
		retry: 'submit',
		itemIndex,
		operation: 'submit',
		proceed,
	})) as { taskId?: unknown } | undefined;
	if (typeof data?.taskId !== 'string' || data.taskId === '') {
		throw new NodeApiError(
			ctx.getNode(),
			{ data: JSON.stringify(data ?? null) },
			{
				message: 'MaxAPI accepted the request but returned no task ID',
				description: 'Look for the task in the MaxAPI dashboard before submitting again.',
				itemIndex,
			},
		);
	}
	return data.taskId;
}

export async function readTask(
	ctx: RequestContext,
	taskId: string,
	itemIndex: number,
): Promise<MaxApiTask> {
	const data = await apiRequest(ctx, {
		method: 'GET',
		path: `/api/v1/task/${encodeURIComponent(taskId)}`,
		retry: 'read',
		itemIndex,
		taskId,
		operation: 'get',
	});
	return { taskId, ...(data as MaxApiTask) };
}

/** Asks MaxAPI to cancel a task; a refusal comes back as a NodeApiError with httpCode 400. */
export async function cancelTask(
	ctx: RequestContext,
	taskId: string,
	itemIndex: number,
): Promise<void> {
	await apiRequest(ctx, {
		method: 'POST',
		path: `/api/v1/task/${encodeURIComponent(taskId)}/cancel`,
		retry: 'read',
		itemIndex,
		taskId,
		operation: 'cancel',
	});
}
