/**
 * Plays n8n's production webhook route (/webhook/<webhookId>/<path>) over real HTTP for active
 * workflows, as packages/cli/src/webhooks/live-webhooks.ts and webhook-helpers.ts do in n8n 2.41:
 * - each call builds the workflow anew with its static data read from the store (n8n's database), and
 *   the whole static data object is written back only after webhook() returns, if it changed; calls
 *   that overlap never share one live object, and the last one to write wins;
 * - webhook() runs in n8n-core's WebhookContext, with no execution ID (none exists yet);
 * - a node that answered itself (noWebhookResponse) gets nothing more; otherwise, with workflowData,
 *   the execution is created first, then static data is saved, then the answer is sent (responseMode
 *   onReceived: the description's responseData, or webhookResponse, or "Workflow was started");
 * - a throwing webhook() gets 500 and nothing is saved.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import type {
	IDataObject,
	INode,
	INodeTypes,
	INodeExecutionData,
	IWebhookDescription,
	Workflow,
} from 'n8n-workflow';
import { createRunExecutionData } from 'n8n-workflow';

import { callWebhook, onReceivedBody, parseBody, readBody } from './http';
import {
	execute,
	nextExecutionId,
	nodeTypes,
	resultOf,
	workflowOf,
	type RunOptions,
	type RunResult,
	type WorkflowJson,
} from './n8n';

interface Registration {
	workflowJson: WorkflowJson;
	nodeName: string;
	description: IWebhookDescription;
	options: RunOptions;
	/** The workflow's static data as n8n's database holds it: JSON, one per workflow. */
	store: { staticData: string };
}

export interface LiveRequest {
	path: string;
	status: number;
	response: unknown;
}

export class LiveWebhooks {
	private server?: Server;
	private readonly pending = new Set<Promise<void>>();
	readonly requests: LiveRequest[] = [];
	readonly executions: RunResult[] = [];
	baseUrl = '';

	/**
	 * `routes`: the active workflows and their static data (n8n's database), shared by every process.
	 * `processTypes`: this process's copy of the node types, for a second process with its own memory.
	 */
	constructor(
		private readonly routes = new Map<string, Registration>(),
		private readonly processTypes?: INodeTypes,
	) {}

	/**
	 * Another n8n process on the same database (queue mode): the same active workflows and static data,
	 * its own memory (`processTypes`: node types from a fresh copy of the package's modules).
	 */
	anotherProcess(processTypes: INodeTypes): LiveWebhooks {
		return new LiveWebhooks(this.routes, processTypes);
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			// A webhook may go on after answering (downloads), so settled() waits for the handling too.
			const handling = this.handle(req, res).catch((error) => {
				this.requests.push({
					path: req.url ?? '',
					status: 500,
					response: String(error?.stack ?? error),
				});
				if (!res.headersSent) res.writeHead(500).end();
			});
			this.pending.add(handling);
			void handling.finally(() => this.pending.delete(handling));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
	}

	async stop(): Promise<void> {
		await this.settled();
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	/** Activates a workflow: each trigger webhook answers at <baseUrl>/<webhookId>/<path>. Returns the URLs. */
	activate(workflowJson: WorkflowJson, options: RunOptions): string[] {
		const workflow = workflowOf(workflowJson, options);
		const store = { staticData: '{}' };
		const urls: string[] = [];
		for (const node of Object.values(workflow.nodes)) {
			const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			for (const description of type.description.webhooks ?? []) {
				if (description.restartWebhook) continue;
				const path = `/${node.webhookId}/${String(description.path)}`;
				this.routes.set(path, { workflowJson, nodeName: node.name, description, options, store });
				urls.push(`${this.baseUrl}${path}`);
			}
		}
		return urls;
	}

	/** The static data of the workflow behind a webhook URL, as last saved. */
	staticDataOf(url: string): IDataObject {
		const registration = this.routes.get(new URL(url).pathname.replace(/^\/webhook/, ''));
		return JSON.parse(registration?.store.staticData ?? '{}') as IDataObject;
	}

	deactivateAll(): void {
		this.routes.clear();
		this.executions.length = 0;
		this.requests.length = 0;
	}

	/** Resolves when every execution started so far has finished. */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname.replace(/^\/webhook/, '');
		const record = (status: number, response: unknown) =>
			this.requests.push({ path, status, response });
		const respond = (status: number, response: unknown) => {
			record(status, response);
			if (typeof response === 'string') {
				res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(response);
			} else {
				res
					.writeHead(status, { 'content-type': 'application/json' })
					.end(response === undefined ? undefined : JSON.stringify(response));
			}
		};
		const registration = this.routes.get(path);
		if (!registration || req.method !== 'POST') {
			return respond(404, {
				code: 404,
				message: `The requested webhook "${req.method} ${path.slice(1)}" is not registered.`,
			});
		}
		const body = parseBody(await readBody(req));
		const { workflowJson, nodeName, description, options, store } = registration;
		const workflow = workflowOf(workflowJson, options, JSON.parse(store.staticData) as IDataObject);
		const node = workflow.getNode(nodeName)!;
		let result;
		try {
			result = await callWebhook({
				workflow,
				node,
				description,
				credentials: options.credentials,
				mode: 'webhook',
				req,
				res,
				url,
				body,
				onReply: record,
				runExecutionData: null,
				nodeTypes: this.processTypes,
			});
		} catch (error) {
			if (res.headersSent) return;
			return respond(500, {
				code: 0,
				message: 'Workflow Webhook Error: Workflow could not be started!',
				cause: String(error),
			});
		}
		const saveStaticData = () => {
			if (workflow.staticData.__dataChanged !== true) return;
			store.staticData = JSON.stringify(workflow.staticData);
			workflow.staticData.__dataChanged = false;
		};
		if (result.noWebhookResponse) {
			saveStaticData();
			if (result.workflowData) this.startExecution(workflow, node, result.workflowData, options);
			return;
		}
		if (result.workflowData === undefined) {
			saveStaticData();
			return respond(200, result.webhookResponse ?? { message: 'Webhook call received' });
		}
		this.startExecution(workflow, node, result.workflowData, options);
		saveStaticData();
		respond(200, onReceivedBody(description, result.webhookResponse));
	}

	private startExecution(
		workflow: Workflow,
		node: INode,
		data: INodeExecutionData[][],
		options: RunOptions,
	): void {
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
		});
		const run = execute(workflow, runExecutionData, options.credentials, nextExecutionId()).then(
			(finished) => {
				this.executions.push(resultOf(finished, workflow));
			},
		);
		this.pending.add(run);
		void run.finally(() => this.pending.delete(run));
	}
}
