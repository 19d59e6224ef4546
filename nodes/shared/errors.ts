/**
 * What we tell the user about each error MaxAPI reports (transport.ts reads the envelope), and the rule
 * that every error leaves a node as NodeApiError or NodeOperationError.
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export interface ErrorText {
	message: string;
	description: string;
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
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
			? Object.keys(data.categories).filter(
					(name) => (data.categories as IDataObject)[name] === true,
				)
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

/**
 * The item an error becomes when the node continues on fail, paired with its input item. Regular output:
 * `json` (e.g. the task) with `error` and `description` added. "Continue (using error output)": n8n moves
 * to the error output only items whose json holds nothing but `error`, `message` and `details` (and adds
 * the input item's fields), so `json` and the description go under `details` there.
 */
export function errorItem(
	node: INode,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	json: IDataObject = {},
): INodeExecutionData {
	const description = error.description ? { description: error.description } : {};
	return {
		json:
			node.onError === 'continueErrorOutput'
				? { error: error.message, details: { ...json, ...description } }
				: { ...json, error: error.message, ...description },
		pairedItem: { item: itemIndex },
	};
}

/** Connection failures whose request provably never reached the server. */
export const NEVER_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

const CONNECTION_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was reset',
	ETIMEDOUT: 'no answer in time',
	ECONNABORTED: 'no answer in time',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'no answer in time',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name was not found',
};

/**
 * A connection failure, as a message and options for NodeOperationError. The code goes in the
 * description: n8n swaps a message naming ECONNRESET & co. for a generic one, and the user needs ours,
 * which says whether the task may exist.
 */
export function describeConnectionError(
	code: string,
	operation: 'submit' | 'get' | 'cancel',
): [string, { description: string }] {
	const mayHaveArrived = !NEVER_SENT_CODES.includes(code);
	const description =
		operation === 'submit' && mayHaveArrived
			? 'The request may have reached MaxAPI, so it was not sent again: a second submit could create (and charge) a second task. Look for the task in the MaxAPI dashboard before you submit again.'
			: 'Check the Base URL in the MaxAPI credential and the network between n8n and MaxAPI.';
	return [
		`Could not reach MaxAPI: ${CONNECTION_FAILURES[code] ?? 'a network error'}`,
		{ description: `${description} (${code})` },
	];
}
