// What both real-n8n suites share: named checks that print ok / not ok and a last line `N passed, N failed`,
// and the small workflows they import.
const { randomUUID } = require('node:crypto');

const SECRET = 'e2e-secret-0123456789abcdef';

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

function outputOf(run, nodeName) {
	const runs = run.data.resultData.runData[nodeName];
	assert(runs && runs.length > 0, `node "${nodeName}" did not run`);
	return runs[runs.length - 1].data.main[0];
}

class Checks {
	constructor(label) {
		this.label = label;
		this.results = [];
		this.started = Date.now();
	}

	elapsed() {
		return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
	}

	async check(name, fn) {
		const t0 = Date.now();
		try {
			await fn();
			this.results.push(true);
			console.log(`ok - ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
		} catch (error) {
			this.results.push(false);
			console.log(`not ok - ${name}: ${error.message}`);
		}
	}

	/** Prints the last line and sets the exit code. */
	finish() {
		const passed = this.results.filter(Boolean).length;
		console.log(`\n${this.label}: ${passed} passed, ${this.results.length - passed} failed`);
		process.exitCode = passed === this.results.length && this.results.length > 0 ? 0 : 1;
	}

	/** A failure before any check could run counts as one failed check. */
	static crashed(label, error) {
		console.error(error);
		console.log(`\n${label}: 0 passed, 1 failed`);
		process.exitCode = 1;
	}
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
	return { name, nodes: [trigger, ...nodes], connections: { Webhook: { main: [[{ node: nodes[0].name, type: 'main', index: 0 }]] }, ...connections } };
}

function codeNode(name, items) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
	};
}

function maxApiNode(name, parameters) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-maxapi.maxApi',
		typeVersion: 1,
		position: [440, 0],
		parameters: { resource: 'task', operation: 'submit', family: 'seedance', model: 'seedance-2.0', options: {}, ...parameters },
		credentials: { maxApiApi: { id: 'x', name: 'x' } },
	};
}

/** Webhook → Code (one item per prompt) → MaxApi Submit with the given wait settings. */
function promptsWorkflow(name, pathName, prompts, parameters) {
	return webhookWorkflow(
		name,
		pathName,
		[codeNode('Prompts', prompts.map((prompt) => ({ prompt }))), maxApiNode('Make videos', { prompt: '={{ $json.prompt }}', ...parameters })],
		{ Prompts: { main: [[{ node: 'Make videos', type: 'main', index: 0 }]] } },
	);
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
		body: JSON.stringify({ model: 'seedance-2.0', input: { prompt }, ...(callBackUrl && { callBackUrl }) }),
	});
	assert(response.ok, `submit answered ${response.status}`);
	return (await response.json()).data.taskId;
}

module.exports = {
	SECRET,
	assert,
	outputOf,
	Checks,
	webhookWorkflow,
	codeNode,
	maxApiNode,
	promptsWorkflow,
	triggerWorkflow,
	postJson,
	submitToEmulator,
};
