/**
 * Plays n8n's /webhook-waiting route (packages/cli/src/webhooks/waiting-webhooks.ts) over real HTTP, so
 * the emulator's callbacks reach the MaxApi node the way they reach it in n8n: a parked execution is
 * stored as JSON (as in n8n's database), a request needs the execution's resume token (401 without), a
 * running or finished execution answers 409, the node's webhook() runs in n8n-core's WebhookContext, and
 * the execution resumes once, when webhook() returns workflowData. A time-out resumes it unchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import type { IRun, IRunExecutionData } from 'n8n-workflow';

import {
	execute,
	nextExecutionId,
	nodeTypes,
	resultOf,
	runWorkflow,
	workflowOf,
	type RunOptions,
	type RunResult,
	type WorkflowJson,
} from './n8n';
import { callWebhook, onReceivedBody, parseBody, readBody } from './http';

type Status =
	'running' | 'waiting' | 'success' | 'error' | 'canceled' | 'crashed' | 'new' | 'unknown';

interface Execution {
	id: string;
	workflowJson: WorkflowJson;
	options: RunOptions;
	status: Status;
	/** The parked run as n8n's database holds it: JSON, no shared objects. */
	stored?: string;
	/** Its resume token, kept apart so that a refused call need not parse the stored run. */
	token?: string;
	result?: RunResult;
	resumes: number;
	/** How many calls the node let through to resume (webhook() returned workflowData), won or lost. */
	resumeRequests: number;
	finished: Promise<RunResult>;
	settle: (result: RunResult) => void;
}

export interface WaitingRequest {
	executionId: string;
	status: number;
	body: unknown;
	response: unknown;
	/** When the request arrived (ms). */
	at: number;
}

export class WaitingWebhooks {
	private server?: Server;
	private readonly executions = new Map<string, Execution>();
	readonly requests: WaitingRequest[] = [];
	baseUrl = '';

	async start(): Promise<void> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook-waiting`;
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	/** Runs a workflow; if it parks, it waits here for callbacks. Resolves with the first run's result. */
	async run(
		workflowJson: WorkflowJson,
		options: RunOptions,
	): Promise<{ id: string; first: RunResult }> {
		const id = nextExecutionId();
		let settle!: (result: RunResult) => void;
		const finished = new Promise<RunResult>((resolve) => (settle = resolve));
		const execution: Execution = {
			id,
			workflowJson,
			options,
			status: 'running',
			resumes: 0,
			resumeRequests: 0,
			finished,
			settle,
		};
		this.executions.set(id, execution);
		const first = await runWorkflow(workflowJson, {
			...options,
			executionId: id,
			webhookWaitingBaseUrl: this.baseUrl,
		});
		this.record(execution, first);
		return { id, first };
	}

	status(id: string): Status | undefined {
		return this.executions.get(id)?.status;
	}

	resumeCount(id: string): number {
		return this.executions.get(id)?.resumes ?? 0;
	}

	/**
	 * How many calls the node itself let through to resume. n8n (and this stand-in) resume once whatever
	 * this says; a call let through after the first is the node's own guard failing, answered 500.
	 */
	resumeRequestCount(id: string): number {
		return this.executions.get(id)?.resumeRequests ?? 0;
	}

	resumeToken(id: string): string | undefined {
		return this.executions.get(id)?.token;
	}

	/** The result once the execution has finished (resumed by a callback or by the time limit). */
	async finished(id: string): Promise<RunResult> {
		return await this.executions.get(id)!.finished;
	}

	/** What n8n's wait tracker does when the wait limit passes: run the stored execution on, unchanged. */
	async timeOut(id: string): Promise<RunResult> {
		const execution = this.executions.get(id)!;
		if (execution.status !== 'waiting')
			throw new Error(`Execution ${id} is ${execution.status}, not waiting`);
		execution.status = 'running';
		const workflow = workflowOf(execution.workflowJson, execution.options);
		const run = await execute(
			workflow,
			JSON.parse(execution.stored!),
			execution.options.credentials,
			id,
			{
				webhookWaitingBaseUrl: this.baseUrl,
			},
		);
		execution.resumes++;
		const result = resultOf(run, workflow);
		this.record(execution, result);
		return result;
	}

	private record(execution: Execution, result: RunResult): void {
		execution.result = result;
		execution.status = result.status as Status;
		if (result.status === 'waiting') {
			execution.stored = JSON.stringify(result.run.data);
			execution.token = result.run.data.resumeToken;
		} else {
			execution.settle(result);
		}
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const at = Date.now();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const executionId = url.pathname.split('/').filter(Boolean)[1] ?? '';
		const body = parseBody(await readBody(req));
		const respond = (status: number, response: unknown) => {
			this.requests.push({ executionId, status, body, response, at });
			if (res.headersSent) return;
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(response));
		};

		const execution = this.executions.get(executionId);
		if (!execution)
			return respond(404, { message: `The execution "${executionId}" does not exist.` });
		const token = execution.stored ? execution.token : undefined;
		if (token && url.searchParams.get('signature') !== token)
			return respond(401, { error: 'Invalid token' });
		if (execution.status === 'running')
			return respond(409, { message: `The execution "${executionId}" is running already.` });
		if (execution.status !== 'waiting')
			return respond(409, { message: `The execution "${executionId}" has finished already.` });

		const runExecutionData = JSON.parse(execution.stored!) as IRunExecutionData;
		const workflow = workflowOf(execution.workflowJson, execution.options);
		const waitingNode = workflow.getNode(runExecutionData.resultData.lastNodeExecuted!)!;
		const nodeType = nodeTypes.getByNameAndVersion(waitingNode.type, waitingNode.typeVersion);
		const webhookDescription = nodeType.description.webhooks!.find((hook) => hook.restartWebhook)!;

		let result;
		try {
			result = await callWebhook({
				workflow,
				node: waitingNode,
				description: webhookDescription,
				credentials: execution.options.credentials,
				executionId,
				mode: 'manual',
				req,
				res,
				url,
				body,
				onReply: (status, response) =>
					this.requests.push({ executionId, status, body, response, at }),
				runExecutionData,
				webhookWaitingBaseUrl: this.baseUrl,
			});
		} catch (error) {
			return respond(500, {
				message: 'Workflow Webhook Error: Workflow could not be started!',
				cause: String(error),
			});
		}
		// As n8n's webhook-helpers.ts: noWebhookResponse means webhook() answered itself; workflowData
		// resumes the execution either way.
		if (result.workflowData === undefined) {
			if (result.noWebhookResponse) return;
			return respond(200, result.webhookResponse ?? { message: 'Webhook call received' });
		}
		execution.resumeRequests++;
		// One resume only: n8n's update to "running" requires the status "waiting"; a copy that loses the
		// race gets ExecutionAlreadyResumingError, which n8n answers with 500 (active-executions.ts).
		if (execution.status !== 'waiting') {
			return respond(500, {
				code: 0,
				message: 'Execution is already being resumed by another process',
			});
		}
		execution.status = 'running';
		if (!result.noWebhookResponse)
			respond(200, onReceivedBody(webhookDescription, result.webhookResponse));

		const stackEntry = runExecutionData.executionData!.nodeExecutionStack[0];
		stackEntry.data.main = result.workflowData;
		stackEntry.metadata = { ...stackEntry.metadata, forwardAllOutputs: true };
		const run: IRun = await execute(
			workflow,
			runExecutionData,
			execution.options.credentials,
			executionId,
			{
				webhookWaitingBaseUrl: this.baseUrl,
			},
		);
		execution.resumes++;
		this.record(execution, resultOf(run, workflow));
	}
}
