/** The bits of n8n's HTTP layer the webhook stand-ins need: the body as n8n parses it, and express's res. */
import type { IncomingMessage, ServerResponse } from 'http';

import { ExecutionLifecycleHooks, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeTypes,
	IRunExecutionData,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	Workflow,
} from 'n8n-workflow';

import { additionalDataFor, nodeTypes } from './n8n';

export async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** The two express methods nodes use on the response: status() and json(). */
export function expressLike(res: ServerResponse, onReply: (status: number, body: unknown) => void) {
	return Object.assign(res, {
		status(code: number) {
			res.statusCode = code;
			return res;
		},
		json(body: IDataObject) {
			onReply(res.statusCode, body);
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(body));
			return res;
		},
	});
}

/** JSON when it parses (n8n's JSON body parser), otherwise the text as it came. */
export function parseBody(raw: string): unknown {
	try {
		return raw === '' ? {} : JSON.parse(raw);
	} catch {
		return raw;
	}
}

export interface WebhookCall {
	workflow: Workflow;
	node: INode;
	description: IWebhookDescription;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The parked execution's ID for a resume; none for a trigger, whose execution does not exist yet. */
	executionId?: string;
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	body: unknown;
	/** Called with what the node writes to the response itself. */
	onReply: (status: number, body: unknown) => void;
	/** The parked execution, for a resume; null for a trigger. */
	runExecutionData: IRunExecutionData | null;
	webhookWaitingBaseUrl?: string;
	mode: 'manual' | 'webhook';
	/** The node types of the n8n process that takes the call (another process has its own memory). */
	nodeTypes?: INodeTypes;
}

/** Runs the node's webhook() for one request in n8n-core's WebhookContext, as n8n's webhook helpers do. */
export async function callWebhook(call: WebhookCall): Promise<IWebhookResponseData> {
	const { workflow, node, description, executionId, req, res, url, body } = call;
	const hooks = new ExecutionLifecycleHooks(call.mode, executionId ?? '', {} as never);
	const additionalData = additionalDataFor(
		call.credentials,
		hooks,
		executionId,
		call.webhookWaitingBaseUrl,
	);
	additionalData.httpRequest = Object.assign(req, {
		body,
		query: Object.fromEntries(url.searchParams),
	}) as never;
	additionalData.httpResponse = expressLike(res, call.onReply) as never;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: description.path,
		webhookDescription: description,
		workflowId: workflow.id,
		isTest: false,
	} as IWebhookData;
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		call.mode,
		webhookData,
		[],
		call.runExecutionData,
	);
	const types = call.nodeTypes ?? nodeTypes;
	return await types.getByNameAndVersion(node.type, node.typeVersion).webhook!.call(context);
}

/** n8n's extractWebhookOnReceivedResponse: responseData wins, even the default text "firstEntryJson". */
export function onReceivedBody(
	description: IWebhookDescription,
	webhookResponse: unknown,
): unknown {
	const responseData = description.responseData ?? 'firstEntryJson';
	if (responseData === 'noData') return undefined;
	if (responseData) return responseData;
	return webhookResponse ?? { message: 'Workflow was started' };
}
