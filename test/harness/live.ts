/**
 * Plays n8n's production webhook route (/webhook/<webhookId>/<path>, packages/cli/src/webhooks/
 * live-webhooks.ts) over real HTTP for active workflows: the trigger's webhook() runs in n8n-core's
 * WebhookContext, the workflow's static data is kept between calls (n8n saves it after each), and when
 * webhook() returns workflowData a new execution runs from the trigger with it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import type { INode, IWebhookDescription, Workflow } from 'n8n-workflow';
import { createRunExecutionData } from 'n8n-workflow';

import { callWebhook, parseBody, readBody } from './http';
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
	workflow: Workflow;
	node: INode;
	description: IWebhookDescription;
	options: RunOptions;
}

export interface LiveRequest {
	path: string;
	status: number;
	response: unknown;
}

export class LiveWebhooks {
	private server?: Server;
	private readonly routes = new Map<string, Registration>();
	private readonly pending = new Set<Promise<void>>();
	readonly requests: LiveRequest[] = [];
	readonly executions: RunResult[] = [];
	baseUrl = '';

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			// A webhook may go on after answering (downloads), so settled() waits for the handling too.
			const handling = this.handle(req, res).catch((error) => {
				this.requests.push({ path: req.url ?? '', status: 500, response: String(error?.stack ?? error) });
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
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	/** Activates a workflow: each trigger webhook answers at <baseUrl>/<webhookId>/<path>. Returns the URLs. */
	activate(workflowJson: WorkflowJson, options: RunOptions): string[] {
		const workflow = workflowOf(workflowJson, options);
		const urls: string[] = [];
		for (const node of Object.values(workflow.nodes)) {
			const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			for (const description of type.description.webhooks ?? []) {
				if (description.restartWebhook) continue;
				const path = `/${node.webhookId}/${String(description.path)}`;
				this.routes.set(path, { workflow, node, description, options });
				urls.push(`${this.baseUrl}${path}`);
			}
		}
		return urls;
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
		const record = (status: number, response: unknown) => this.requests.push({ path, status, response });
		const registration = this.routes.get(path);
		if (!registration || req.method !== 'POST') {
			record(404, { message: 'The requested webhook is not registered.' });
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'The requested webhook is not registered.' }));
			return;
		}
		const body = parseBody(await readBody(req));
		const { workflow, node, description, options } = registration;
		const executionId = nextExecutionId();
		let result;
		try {
			result = await callWebhook({
				workflow,
				node,
				description,
				credentials: options.credentials,
				executionId,
				mode: 'webhook',
				req,
				res,
				url,
				body,
				onReply: record,
				runExecutionData: null,
			});
		} catch (error) {
			record(500, { message: 'Workflow Webhook Error: Workflow could not be started!', cause: String(error) });
			if (!res.headersSent) res.writeHead(500).end();
			return;
		}
		// n8n saves the workflow's static data after each call; a JSON copy keeps only what would be saved.
		workflow.staticData = JSON.parse(JSON.stringify(workflow.staticData));
		if (!result.noWebhookResponse && !res.headersSent) {
			record(200, result.webhookResponse ?? { message: 'Workflow was started' });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(result.webhookResponse ?? { message: 'Workflow was started' }));
		}
		if (result.workflowData === undefined) return;

		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: result.workflowData }, source: null }] },
		});
		const run = execute(workflow, runExecutionData, options.credentials, executionId).then((finished) => {
			this.executions.push(resultOf(finished, workflow));
		});
		this.pending.add(run);
		void run.finally(() => this.pending.delete(run));
	}
}
