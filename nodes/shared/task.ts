/**
 * What MaxAPI's task statuses mean, and the one task shape this package outputs (from Get, from waiting,
 * from the trigger), so downstream nodes never care which node produced it.
 */
import type { IDataObject } from 'n8n-workflow';

// A task runs through PENDING, PROCESSING and SUBMITTED, and ends with one of these.
const SUCCESS_STATUS = 'SUCCESS';
export const CANCELLED_STATUS = 'CANCELLED';
const UNSUCCESSFUL_STATUSES = ['FAILURE', 'TIMEOUT', CANCELLED_STATUS];
export const FINAL_STATUSES = [SUCCESS_STATUS, ...UNSUCCESSFUL_STATUSES];

// The docs say FAILURE and CANCELLED; some MaxAPI clients test for these spellings, so accept them too.
const STATUS_ALIASES: Record<string, string> = {
	FAILED: 'FAILURE',
	FAIL: 'FAILURE',
	CANCELED: 'CANCELLED',
};

const FAILURE_ADVICE: Record<string, string> = {
	CONTENT_MODERATION:
		'The prompt or a reference image was rejected by moderation (real faces, copyrighted characters, public figures or NSFW content). Change the input; the same request will fail again.',
	INVALID_PARAMETERS:
		'MaxAPI found the parameters invalid. For Seedance media check: 1–12 media URLs, at most 9 images, videos at most 15 s in total, audio at most 15 s in total. Fix the input before trying again.',
	INSUFFICIENT_POINTS: 'The MaxAPI account has too few credits. Top up, then submit again.',
};
const NO_REASON_ADVICE = 'MaxAPI gave no specific reason; submitting again may succeed.';

/** What a task ID looks like (MaxAPI's are UUIDs); anything else is refused before any request. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The task object MaxAPI returns from GET /api/v1/task/{id} and posts to callback URLs. */
export interface MaxApiTask {
	taskId?: string;
	status?: string;
	input?: IDataObject;
	result?: { type?: string; urls?: string[] } | null;
	failure_reason?: string | null;
	failReason?: string | null;
	created_at?: string;
	updated_at?: string;
}

export interface TaskOutput extends IDataObject {
	taskId: string;
	status: string;
	/** The task reached a terminal status: SUCCESS, FAILURE, TIMEOUT or CANCELLED. */
	finished: boolean;
	successful: boolean;
	model: string | null;
	resultType: string | null;
	resultUrls: string[];
	/** The first result URL, for the common one-video case. */
	resultUrl: string | null;
	failureReason: string | null;
	/** What to do about an unsuccessful task, in plain words. */
	failureAdvice: string | null;
	createdAt: string | null;
	updatedAt: string | null;
	input: IDataObject;
}

export function normaliseStatus(status: unknown): string {
	const upper = String(status ?? '')
		.trim()
		.toUpperCase();
	return STATUS_ALIASES[upper] ?? upper;
}

export function isTerminalStatus(status: string): boolean {
	const normalised = normaliseStatus(status);
	return normalised === SUCCESS_STATUS || UNSUCCESSFUL_STATUSES.includes(normalised);
}

export function failureAdvice(status: string, reason: string | null): string | null {
	if (status === 'TIMEOUT') return 'The task timed out at MaxAPI; submitting again may succeed.';
	if (status === CANCELLED_STATUS) return 'The task was cancelled.';
	if (status !== 'FAILURE') return null;
	return (reason && FAILURE_ADVICE[reason]) || NO_REASON_ADVICE;
}

export function toTaskOutput(task: MaxApiTask): TaskOutput {
	const status = normaliseStatus(task.status);
	const finished = isTerminalStatus(status);
	const resultUrls = (task.result?.urls ?? []).filter(
		(url): url is string => typeof url === 'string',
	);
	const failureReason = task.failure_reason ?? task.failReason ?? null;
	return {
		taskId: String(task.taskId ?? ''),
		status,
		finished,
		successful: status === SUCCESS_STATUS,
		model: typeof task.input?.model === 'string' ? task.input.model : null,
		resultType: task.result?.type ?? null,
		resultUrls,
		resultUrl: resultUrls[0] ?? null,
		failureReason,
		failureAdvice: finished ? failureAdvice(status, failureReason) : null,
		createdAt: task.created_at ?? null,
		updatedAt: task.updated_at ?? null,
		input: task.input ?? {},
	};
}

/** The task an output item describes, back in MaxAPI's shape (toTaskOutput of it gives the item again). */
export function taskFromOutput(output: TaskOutput): MaxApiTask {
	return {
		taskId: output.taskId,
		status: output.status,
		input: output.input,
		result: output.resultType ? { type: output.resultType, urls: output.resultUrls } : null,
		failure_reason: output.failureReason,
		created_at: output.createdAt ?? undefined,
		updated_at: output.updatedAt ?? undefined,
	};
}
