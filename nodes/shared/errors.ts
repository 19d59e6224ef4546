/**
 * How MaxAPI reports errors, and what we tell the user about each. MaxAPI wraps every answer in an
 * envelope `{code, msg, data}`; whether the HTTP status mirrors `code` is not documented, so both count.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export type ApiReply =
	| { ok: true; data: unknown }
	| { ok: false; code: number; msg: string; data?: IDataObject };

export interface ErrorText {
	message: string;
	description: string;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one HTTP answer: an error wins whether it shows in the HTTP status or in the envelope. */
export function readReply(httpStatus: number, body: unknown): ApiReply {
	const envelope = isObject(body) ? body : undefined;
	const envelopeCode = typeof envelope?.code === 'number' ? envelope.code : undefined;
	const msg = typeof envelope?.msg === 'string' ? envelope.msg : '';
	const data = isObject(envelope?.data) ? envelope.data : undefined;
	const httpOk = httpStatus >= 200 && httpStatus < 300;

	if (httpOk && envelopeCode === 0) return { ok: true, data: envelope?.data };
	if (!httpOk) {
		const code = envelopeCode && envelopeCode !== 0 ? envelopeCode : httpStatus;
		return { ok: false, code, msg: msg || `HTTP ${httpStatus}`, data };
	}
	if (envelopeCode !== undefined) return { ok: false, code: envelopeCode, msg, data };
	return { ok: false, code: httpStatus, msg: 'The answer was not a MaxAPI envelope ({code, msg, data}). Check the Base URL in the credential.' };
}

/** Worth asking again: the server said "later" or broke, and a read has no side effects. */
export function isTransientCode(code: number): boolean {
	return code === 429 || code >= 500;
}

export function describeApiError(
	reply: { code: number; msg: string; data?: IDataObject },
	context: { taskId?: string; operation: 'submit' | 'get' | 'cancel' },
): ErrorText {
	const { code, msg, data } = reply;
	if (code === 401 || code === 403) {
		return {
			message: `The API key was refused (${code} ${msg || 'unauthorized'})`,
			description:
				'Check the API key in the MaxAPI credential (copy it again from the MaxAPI dashboard) and that the Base URL is right.',
		};
	}
	if (code === 400 && data?.flagged === true) {
		const categories = isObject(data.categories)
			? Object.keys(data.categories).filter((name) => (data.categories as IDataObject)[name] === true)
			: [];
		return {
			message: `MaxAPI's moderation blocked the request (flagged: ${categories.join(', ') || 'unspecified'})`,
			description:
				'Nothing was charged: a block before submission is refunded in full. Change the prompt or the reference media and submit again.',
		};
	}
	if (code === 404 && context.taskId !== undefined) {
		return {
			message: `Task "${context.taskId}" was not found`,
			description:
				'Check the task ID. Tasks can only be read with the API key of the account that submitted them.',
		};
	}
	if (code === 429) {
		return {
			message: 'MaxAPI is rate limiting requests (429)',
			description: 'Wait a little, or send fewer items at once.',
		};
	}
	if (code >= 500) {
		return {
			message: `MaxAPI had a server error (${code}${msg ? `: ${msg}` : ''})`,
			description:
				context.operation === 'submit'
					? 'The task may or may not have been created. Look in the MaxAPI dashboard before you submit it again, so it is not paid twice.'
					: 'Try again later.',
		};
	}
	if (code === 400) {
		return {
			message: `MaxAPI rejected the request: ${msg || 'invalid request'}`,
			description: 'Fix the field MaxAPI names, then try again. Nothing was charged.',
		};
	}
	return {
		message: `MaxAPI answered with code ${code}${msg ? `: ${msg}` : ''}`,
		description: 'See the MaxAPI documentation for this code.',
	};
}

/** Errors leave a node as NodeApiError or NodeOperationError; anything else is wrapped, never dropped. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
