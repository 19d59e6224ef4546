/**
 * The one way this package talks to MaxAPI (api.ts names the endpoints): bearer auth through the
 * credential, every request within the run's budget, MaxAPI's answer read (envelope.ts), retries only
 * where they cannot cost a second task (retries.ts). An error MaxAPI reports leaves as NodeApiError; a
 * connection that fails, or a run that stops, as NodeOperationError.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { budgetOf } from './budget';
import { readReply } from './envelope';
import { describeApiError, describeConnectionError } from './errors';
import {
	backoffMs,
	connectionErrorCode,
	isRetryableConnectionError,
	isTransientCode,
	MAX_ATTEMPTS,
	MAX_RATE_LIMITED_ATTEMPTS,
	retryAfterMs,
	type RetryPolicy,
} from './retries';
import { cancelSignalOf, pause } from './sleep';

export const CREDENTIAL_TYPE = 'maxApiApi';

export type RequestContext = IExecuteFunctions | IWebhookFunctions;

const REQUEST_TIMEOUT_MS = 60_000;

export interface ApiRequest {
	method: 'GET' | 'POST';
	path: string;
	body?: IDataObject;
	retry: RetryPolicy;
	itemIndex?: number;
	/** Names the task in error messages. */
	taskId?: string;
	operation: 'submit' | 'get' | 'cancel';
	/** Asked right before each send; false: send nothing and throw NotSentError. */
	proceed?: () => boolean;
}

/** A request that was not sent because its run is stopping. */
export class NotSentError extends NodeOperationError {
	constructor(node: INode) {
		super(node, 'Not sent: the run is stopping');
	}
}

interface Credentials {
	apiKey: string;
	baseUrl: string;
}

// n8n loads and decrypts a credential from its database on each getCredentials(), and
// httpRequestWithAuthentication() does it again unless it is handed the credential: one load per run
// (n8n gives each node run and each callback its own context) serves all of its requests.
const credentialsByRun = new WeakMap<RequestContext, Promise<Credentials>>();

export function credentialsOf(ctx: RequestContext): Promise<Credentials> {
	let credentials = credentialsByRun.get(ctx);
	if (!credentials) {
		credentials = ctx.getCredentials<Credentials>(CREDENTIAL_TYPE);
		credentialsByRun.set(ctx, credentials);
		credentials.catch(() => credentialsByRun.delete(ctx));
	}
	return credentials;
}

export async function apiRequest(ctx: RequestContext, request: ApiRequest): Promise<unknown> {
	const credentials = await credentialsOf(ctx);
	const credentialsDecrypted = {
		// Stryker disable next-line StringLiteral,OptionalChaining: n8n reads only the data of a credential it is handed
		id: ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '',
		name: CREDENTIAL_TYPE,
		type: CREDENTIAL_TYPE,
		data: { ...credentials },
	};
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${trimBaseUrl(credentials.baseUrl)}${request.path}`,
		body: request.body,
		// Stryker disable next-line BooleanLiteral: n8n parses a JSON answer either way; this also asks for JSON (Accept)
		json: true,
		returnFullResponse: true,
		// Judge every status ourselves: it also stops n8n from re-sending a POST after a 401.
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
		abortSignal: cancelSignalOf(ctx),
	};

	const budget = budgetOf(ctx);
	const kind = request.operation === 'submit' ? 'submit' : 'read';
	let rateLimited = 0;
	for (let attempt = 1; ; attempt++) {
		let response: IN8nHttpFullResponse | null;
		let sentAt = 0;
		try {
			response = await budget.run(kind, async () => {
				if (request.proceed && !request.proceed()) return null;
				sentAt = Date.now();
				return (await ctx.helpers.httpRequestWithAuthentication.call(
					ctx,
					CREDENTIAL_TYPE,
					options,
					{ credentialsDecrypted },
				)) as IN8nHttpFullResponse;
			});
		} catch (error) {
			if (cancelSignalOf(ctx)?.aborted) {
				throw new NodeOperationError(ctx.getNode(), 'The execution was canceled', {
					itemIndex: request.itemIndex,
				});
			}
			const code = connectionErrorCode(error);
			if (attempt < MAX_ATTEMPTS && isRetryableConnectionError(code, request.retry)) {
				await pause(ctx, backoffMs(attempt));
				continue;
			}
			const [message, { description }] = describeConnectionError(code, request.operation);
			throw new NodeOperationError(ctx.getNode(), message, {
				description,
				itemIndex: request.itemIndex,
			});
		}

		if (response === null) throw new NotSentError(ctx.getNode());
		const reply = readReply(response.statusCode, response.body);
		if (!reply.ok && reply.code === 429) {
			// The server took nothing, for a submit too. Every request of the run waits (the budget), and a
			// 429 does not use up an attempt: a rate limit is slowed down for, not given up on.
			budget.rateLimited(retryAfterMs(response.headers) ?? backoffMs(rateLimited + 1));
			if (++rateLimited < MAX_RATE_LIMITED_ATTEMPTS) {
				attempt--;
				continue;
			}
		} else {
			budget.succeeded(sentAt);
		}
		if (reply.ok) return reply.data;

		const retryable = request.retry === 'read' && isTransientCode(reply.code) && reply.code !== 429;
		if (attempt < MAX_ATTEMPTS && retryable) {
			await pause(ctx, retryAfterMs(response.headers) ?? backoffMs(attempt));
			continue;
		}
		const text = describeApiError(reply, request);
		throw new NodeApiError(
			ctx.getNode(),
			{ code: reply.code, msg: redact(reply.msg, credentials.apiKey) } as JsonObject,
			{
				message: redact(text.message, credentials.apiKey),
				description: text.description,
				httpCode: String(reply.code),
				itemIndex: request.itemIndex,
			},
		);
	}
}

export function trimBaseUrl(baseUrl: string): string {
	return String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/** Never let the key leave in a message, whatever a server or proxy echoes back. */
function redact(text: string, apiKey: string): string {
	return apiKey ? text.split(apiKey).join('***') : text;
}
