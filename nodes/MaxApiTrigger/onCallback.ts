/**
 * One MaxAPI callback arriving at the trigger: the secret, the body, the task as the API sees it, the
 * filters and duplicates decide whether a workflow starts. Every refusal is answered 4xx (or 503 when
 * the API could not be asked) and starts nothing; a callback that is fine but not wanted gets 200.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readTask } from '../shared/api';
import { CallbackMemory } from '../shared/callbackMemory';
import { downloadResultFiles } from '../shared/binary';
import { asNodeError, isObject } from '../shared/errors';
import {
	isTerminalStatus,
	normaliseStatus,
	TASK_ID_PATTERN,
	toTaskOutput,
	type MaxApiTask,
	type TaskOutput,
} from '../shared/task';

// Each outcome is remembered this long (result URLs live 7 days) and at most this many, in static data
// and in this process's memory.
const REMEMBER_MS = 8 * 24 * 60 * 60_000;
const REMEMBER_MAX = 5000;

// Outcomes this process has started a workflow for; copies of one task's callback take turns here.
const startedHere = new CallbackMemory(REMEMBER_MS, REMEMBER_MAX);

interface Settings {
	secret: string;
	confirmWithApi: boolean;
	outcomes: string[];
	models: string[];
	downloadResults: boolean;
}

function reply(ctx: IWebhookFunctions, status: number, body: IDataObject): void {
	ctx.getResponseObject().status(status).json(body);
}

function refuse(ctx: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	reply(ctx, status, { received: false, error });
	return { noWebhookResponse: true };
}

function acknowledge(ctx: IWebhookFunctions, reason: string): IWebhookResponseData {
	reply(ctx, 200, { received: true, started: false, reason });
	return { noWebhookResponse: true };
}

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
export function secretMatches(given: unknown, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return (
		typeof given === 'string' && expected !== '' && timingSafeEqual(digest(given), digest(expected))
	);
}

/** The task a callback body names, or why the body is not a MaxAPI callback. */
export function taskFromBody(body: unknown): { task: MaxApiTask } | { problem: string } {
	if (!isObject(body)) return { problem: 'The body is not a JSON object' };
	const envelope = body;
	if (envelope.code !== undefined && envelope.code !== 0)
		return { problem: 'The envelope reports an error (code is not 0)' };
	const data = envelope.data;
	if (!isObject(data)) return { problem: 'The body has no task in "data"' };
	const task = data as MaxApiTask;
	if (typeof task.taskId !== 'string' || !TASK_ID_PATTERN.test(task.taskId)) {
		return { problem: 'data.taskId is missing or not a task ID' };
	}
	if (typeof task.status !== 'string' || !isTerminalStatus(task.status)) {
		return {
			problem: 'data.status is not a final task status (SUCCESS, FAILURE, TIMEOUT or CANCELLED)',
		};
	}
	return { task };
}

function readSettings(ctx: IWebhookFunctions): Settings {
	return {
		secret: String(ctx.getNodeParameter('secret', '')),
		confirmWithApi: ctx.getNodeParameter('confirmWithApi', true) !== false,
		outcomes: ctx.getNodeParameter('outcomes', []) as string[],
		models: ctx.getNodeParameter('models', []) as string[],
		downloadResults: ctx.getNodeParameter('downloadResults', false) === true,
	};
}

async function confirmed(
	ctx: IWebhookFunctions,
	claimed: MaxApiTask,
): Promise<{ task: MaxApiTask } | IWebhookResponseData> {
	let task: MaxApiTask;
	try {
		task = await readTask(ctx, String(claimed.taskId), 0);
	} catch (error) {
		const nodeError = asNodeError(ctx.getNode(), error);
		if (nodeError instanceof NodeApiError && nodeError.httpCode === '404') {
			return refuse(ctx, 404, `MaxAPI does not know task ${claimed.taskId}`);
		}
		return refuse(
			ctx,
			503,
			`Could not confirm task ${claimed.taskId} with MaxAPI (${nodeError.message}); call again later`,
		);
	}
	if (!isTerminalStatus(String(task.status))) {
		return refuse(
			ctx,
			409,
			`MaxAPI says task ${claimed.taskId} is ${normaliseStatus(task.status)}, not finished`,
		);
	}
	return { task };
}

/**
 * The outcomes recorded in static data, read without touching it: n8n saves a workflow's static data
 * whole after webhook() if anything was assigned to it, from the copy loaded when this call came, so a
 * callback that starts nothing must write nothing (on a fresh workflow even `seenOutcomes ??= {}` would
 * save an empty record over the one another call has just saved).
 */
function seenOutcomes(ctx: IWebhookFunctions): Record<string, number> {
	return (ctx.getWorkflowStaticData('node').seenOutcomes ?? {}) as Record<string, number>;
}

/**
 * Records a started outcome in static data, as one new object with every outcome this process has
 * started for this node besides those loaded: a save by another call that loaded static data before
 * this one is then undone by this process's next save.
 */
function recordStarted(ctx: IWebhookFunctions, nodeKey: string, outcome: string): void {
	const now = Date.now();
	const seen: Record<string, number> = { ...seenOutcomes(ctx) };
	for (const [key, at] of startedHere.entries(`${nodeKey}:`))
		seen[key.slice(nodeKey.length + 1)] = at;
	seen[outcome] = now;
	for (const old of Object.keys(seen)) if (now - seen[old] > REMEMBER_MS) delete seen[old];
	const excess = Object.keys(seen).length - REMEMBER_MAX;
	if (excess > 0) {
		for (const old of Object.keys(seen)
			.sort((a, b) => seen[a] - seen[b])
			.slice(0, excess))
			delete seen[old];
	}
	ctx.getWorkflowStaticData('node').seenOutcomes = seen;
}

/**
 * Decides, in turn with the other copies of this task's callback, whether this one starts the workflow.
 * An outcome already started here or recorded in static data is a duplicate, and is answered without
 * asking the API again.
 */
async function decide(
	ctx: IWebhookFunctions,
	settings: Settings,
	claimed: MaxApiTask,
	nodeKey: string,
): Promise<{ start: TaskOutput } | IWebhookResponseData> {
	const seen = seenOutcomes(ctx);
	const outcomeOf = (status: string) => `${claimed.taskId}:${status}`;
	const isDuplicate = (status: string) =>
		startedHere.has(`${nodeKey}:${outcomeOf(status)}`) || seen[outcomeOf(status)] !== undefined;
	if (isDuplicate(normaliseStatus(claimed.status))) return acknowledge(ctx, 'duplicate');

	let task = claimed;
	if (settings.confirmWithApi) {
		const check = await confirmed(ctx, claimed);
		if (!('task' in check)) return check;
		task = check.task;
	}
	const output = toTaskOutput(task);
	if (settings.outcomes.length > 0 && !settings.outcomes.includes(output.status)) {
		return acknowledge(ctx, `outcome ${output.status} is filtered out`);
	}
	if (settings.models.length > 0 && !settings.models.includes(String(output.model))) {
		return acknowledge(ctx, `model ${output.model} is filtered out`);
	}
	if (isDuplicate(output.status)) return acknowledge(ctx, 'duplicate');
	startedHere.remember(`${nodeKey}:${outcomeOf(output.status)}`);
	recordStarted(ctx, nodeKey, outcomeOf(output.status));
	return { start: output };
}

export async function onTriggerCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const settings = readSettings(ctx);
	if (!secretMatches((ctx.getQueryData() as IDataObject).secret, settings.secret)) {
		return refuse(ctx, 403, 'Wrong or missing secret');
	}
	const parsed = taskFromBody(ctx.getBodyData());
	if ('problem' in parsed) return refuse(ctx, 400, `Not a MaxAPI task callback: ${parsed.problem}`);

	// Test calls from the editor (mode "manual") are remembered apart from the active workflow's.
	const nodeKey = `${ctx.getMode()}:${ctx.getWorkflow().id}:${ctx.getNode().id}`;
	const decision = await startedHere.inTurn(
		`${nodeKey}:${parsed.task.taskId}`,
		async () => await decide(ctx, settings, parsed.task, nodeKey),
	);
	if (!('start' in decision)) return decision;

	const output = decision.start;
	const item: INodeExecutionData = { json: output };
	if (!(settings.downloadResults && output.successful && output.resultUrls.length > 0)) {
		// n8n answers once the execution is created and static data saved, so a copy sent after this
		// answer, to any n8n process, finds the outcome in static data.
		return { webhookResponse: { received: true, started: true }, workflowData: [[item]] };
	}
	// MaxAPI has its answer before any file is downloaded.
	reply(ctx, 200, { received: true, started: true });
	try {
		item.binary = await downloadResultFiles(ctx, output.taskId, output.resultUrls, 0);
	} catch (error) {
		output.downloadError = asNodeError(ctx.getNode(), error).message;
	}
	return { noWebhookResponse: true, workflowData: [[item]] };
}
