// What the real-n8n suites (and the benches) share: the small workflows they import, their progress lines
// and a few helpers for their tests.
const assert = require('node:assert');
const { randomUUID } = require('node:crypto');
const path = require('node:path');

/** The project's root: package.json, examples/, templates/. */
const ROOT = path.join(__dirname, '..', '..');
const SECRET = 'e2e-secret-0123456789abcdef';

/** A progress line, on stderr: stdout is the reporter's (or a bench's table). */
function log(line) {
	process.stderr.write(`${line}\n`);
}

/** For the progress lines: seconds since `started`. */
const secondsSince = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/**
 * One step of a scenario that several tests assert on, each test one behaviour: it runs once, when the
 * first of them asks for it, and they all get its result (or its error). Tests inside a describe() run one
 * after another in the order they are declared, so the step runs where its first test stands, and a test
 * run alone (--test-name-pattern) runs the steps it needs.
 */
function sharedStep(run) {
	let result;
	return async () => await (result ??= run());
}

function outputOf(run, nodeName) {
	const runs = run.data.resultData.runData[nodeName];
	assert(runs && runs.length > 0, `node "${nodeName}" did not run`);
	return runs[runs.length - 1].data.main[0];
}

function webhookWorkflow(name, pathName, nodes, connections = {}) {
	const trigger = {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'onReceived', options: {} },
	};
	return {
		name,
		nodes: [trigger, ...nodes],
		connections: {
			Webhook: { main: [[{ node: nodes[0].name, type: 'main', index: 0 }]] },
			...connections,
		},
	};
}

/** A workflow node as n8n exports it. */
const node = (name, type, typeVersion, x, parameters) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [x, 0],
	parameters,
});

const codeNode = (name, items) =>
	node(name, 'n8n-nodes-base.code', 2, 220, {
		jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};`,
	});

/** Loop Over Items (n8n's Split in Batches v3): output 0 "done", output 1 "loop". */
const loopOverItems = (name, batchSize) =>
	node(name, 'n8n-nodes-base.splitInBatches', 3, 330, { batchSize, options: {} });

const maxApiNode = (name, parameters) => ({
	...node(name, 'n8n-nodes-maxapi.maxApi', 1, 440, {
		resource: 'task',
		operation: 'submit',
		family: 'seedance',
		model: 'seedance-2.0',
		options: {},
		...parameters,
	}),
	credentials: { maxApiApi: { id: 'x', name: 'x' } },
});

/** Webhook → Code (one item per prompt) → MaxApi Submit with the given wait settings. */
function promptsWorkflow(name, pathName, prompts, parameters) {
	return webhookWorkflow(
		name,
		pathName,
		[
			codeNode(
				'Prompts',
				prompts.map((prompt) => ({ prompt })),
			),
			maxApiNode('Make videos', { prompt: '={{ $json.prompt }}', ...parameters }),
		],
		{ Prompts: { main: [[{ node: 'Make videos', type: 'main', index: 0 }]] } },
	);
}

/** Adds a Wait operation node after "Make videos" (it reads the task IDs that node passes on). */
function withWaitAfter(workflow, nodeName, timeLimitMinutes) {
	workflow.nodes.push(
		maxApiNode(nodeName, { operation: 'wait', taskId: '={{ $json.taskId }}', timeLimitMinutes }),
	);
	workflow.connections['Make videos'] = { main: [[{ node: nodeName, type: 'main', index: 0 }]] };
	return workflow;
}

function triggerWorkflow(name, webhookId, parameters = {}) {
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'MaxApi Trigger',
				type: 'n8n-nodes-maxapi.maxApiTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { secret: SECRET, ...parameters },
				credentials: { maxApiApi: { id: 'x', name: 'x' } },
			},
		],
		connections: {},
	};
}

async function postJson(url, body) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { status: response.status, body: await response.json().catch(() => undefined) };
}

/** Submits a task straight to the emulator (as another system would), with a callback URL. */
async function submitToEmulator(emulator, prompt, callBackUrl) {
	const response = await fetch(`${emulator.baseUrl}/api/v1/task/submit`, {
		method: 'POST',
		headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'seedance-2.0',
			input: { prompt },
			...(callBackUrl && { callBackUrl }),
		}),
	});
	assert(response.ok, `submit answered ${response.status}`);
	return (await response.json()).data.taskId;
}

module.exports = {
	ROOT,
	SECRET,
	log,
	secondsSince,
	sharedStep,
	outputOf,
	webhookWorkflow,
	codeNode,
	loopOverItems,
	maxApiNode,
	promptsWorkflow,
	withWaitAfter,
	triggerWorkflow,
	postJson,
	submitToEmulator,
};
