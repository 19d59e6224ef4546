// How the checks start workflows in n8n, move MaxAPI's tasks along and wait for what n8n does with them.
// ctx: see callbackChecks.js.
const assert = require('node:assert');
const { randomUUID } = require('node:crypto');

const { postJson, triggerWorkflow } = require('./suite');
const { waitUntil } = require('./waitUntil');

/** Imports and activates a workflow that starts with a Webhook node, then starts it once. */
async function startByWebhook(ctx, workflow, pathName) {
	const created = await ctx.n8n.createWorkflow(workflow, ctx.credential);
	await ctx.n8n.activate(created.id);
	// Webhooks register a moment after activation: POST until the route answers.
	await waitUntil(
		async () => (await fetch(`${ctx.webhookBase}/webhook/${pathName}`, { method: 'POST' })).ok,
		{
			timeoutMs: 20_000,
			what: 'the webhook',
		},
	);
	return created;
}

/** Imports and activates a MaxApi Trigger workflow; resolves once its callback URL answers. */
async function activateTrigger(ctx, name, parameters = {}) {
	const webhookId = randomUUID();
	const created = await ctx.n8n.createWorkflow(
		triggerWorkflow(name, webhookId, parameters),
		ctx.credential,
	);
	await ctx.n8n.activate(created.id);
	const url = `${ctx.webhookBase}/webhook/${webhookId}/callback`;
	await waitUntil(async () => (await postJson(url, {})).status === 403, {
		timeoutMs: 20_000,
		what: 'the trigger webhook',
	});
	return { workflowId: created.id, url, webhookId };
}

const waitingExecution = async (ctx, workflowId) =>
	await waitUntil(async () => (await ctx.n8n.executions(workflowId, 'waiting'))[0], {
		timeoutMs: 30_000,
		what: 'a waiting execution',
	});

/**
 * Whether an ended execution's own data is saved. n8n 1.x on SQLite saves an ending execution in two
 * updates, its status and then its data (2.x, and 1.x on Postgres, in one transaction), so for a moment an
 * ended execution still holds the data saved when it started or resumed: without the run of the node it
 * ended on (on a resume, 1.x removes the parked node's run from that data).
 */
function dataSaved(ctx, execution) {
	if (ctx.n8n.majorVersion >= 2) return true;
	const { runData = {}, lastNodeExecuted } = execution.data?.resultData ?? {};
	return runData[lastNodeExecuted]?.length > 0;
}

/** Waits until the execution has ended and its data is saved; returns it. */
async function finishedExecution(ctx, id, timeoutMs = 30_000) {
	return await waitUntil(
		async () => {
			const execution = await ctx.n8n.execution(id);
			const ended = !['new', 'running', 'waiting'].includes(execution.status);
			return ended && dataSaved(ctx, execution) && execution;
		},
		{ timeoutMs, intervalMs: 500, what: `execution ${id} to end` },
	);
}

/** Ends a task and waits until its callback has been answered; returns the answer's HTTP status. */
async function finishTask(emulator, taskId) {
	const before = emulator.callbacks.filter((delivery) => delivery.taskId === taskId).length;
	emulator.finishTask(taskId);
	const deliveries = await waitUntil(
		() => {
			const list = emulator.callbacks.filter((delivery) => delivery.taskId === taskId);
			return list.length > before && list;
		},
		{ timeoutMs: 15_000, what: `the callback of task ${taskId}` },
	);
	return deliveries[before].status;
}

/** Ends a task while n8n is down, and waits until MaxAPI (the emulator) has given up calling back. */
async function finishWhileDown(emulator, taskId) {
	emulator.finishTask(taskId);
	await waitUntil(
		() =>
			emulator.callbacks.filter((delivery) => delivery.taskId === taskId && delivery.error).length >
			emulator.options.callbackRetries,
		{ timeoutMs: 60_000, what: `MaxAPI to give up calling back for ${taskId}` },
	);
}

/** In queue mode: the workers that logged starting this execution (each run of it counts once). */
function workerRunsOf(ctx, executionId) {
	return ctx.workers.flatMap((worker) =>
		worker.logLines(`Worker started execution ${executionId} (`).map(() => worker.name),
	);
}

/**
 * Waits until at least `count` executions of the workflow exist and all have ended; returns them all, for
 * the check to count (n8n creates an execution before it answers the call that started it).
 */
async function executionsEnded(ctx, workflowId, count) {
	return await waitUntil(
		async () => {
			const found = await ctx.n8n.executions(workflowId);
			return (
				found.length >= count &&
				found.every(
					(execution) =>
						execution.status === 'waiting' ||
						(!['new', 'running'].includes(execution.status) && dataSaved(ctx, execution)),
				) &&
				found
			);
		},
		{ timeoutMs: 30_000, what: `${count} executions to end` },
	);
}

/** Waits until exactly `count` executions of the workflow exist and all have ended; returns them. */
async function endedExecutions(ctx, workflowId, count) {
	const list = await executionsEnded(ctx, workflowId, count);
	assert(list.length === count, `${list.length} executions, expected ${count}`);
	return list;
}

module.exports = {
	startByWebhook,
	activateTrigger,
	waitingExecution,
	finishedExecution,
	finishTask,
	finishWhileDown,
	workerRunsOf,
	executionsEnded,
	endedExecutions,
};
