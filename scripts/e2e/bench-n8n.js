#!/usr/bin/env node
// `npm run bench:n8n`: waiting at scale inside a real n8n 2.41 (the e2e suite's cached install, one
// process), against the emulator playing a hosted API (every request 300 ± 100 ms). N = 100 tasks with
// latencies spread over 1–20 s, once with Poll and once with Callback (Resume). Prints wall ÷ slowest for
// each (from n8n's own startedAt / stoppedAt of the execution) and the growth of n8n's memory (RSS of its
// main process, sampled every 100 ms). Not a test: `goal <what>: <measured> (goal <target>) ok|MISSED`.
const fs = require('node:fs');
const os = require('node:os');

const { createEmulator } = require('../../test/emulator/server');
const { oneN8n, waitUntil, log } = require('./n8n');
const { postJson, webhookWorkflow, codeNode, maxApiNode } = require('./suite');
const { goal, printGoalSummary } = require('../goals');

const N = 100;
const SLOWEST_MS = 20_000;
const latencyOf = (i) => Math.round(1000 + (i * (SLOWEST_MS - 1000)) / (N - 1));

function rssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** MAXAPI_BENCH_DEBUG=1: every callback attempt (seconds since the start: HTTP status or error). */
function printCallbacks(emulator, t0) {
	const lines = emulator.callbacks.map(
		(c) =>
			`${c.taskId.slice(-4)}#${c.attempt}@${((c.at - t0) / 1000).toFixed(2)}:${c.status ?? c.error}`,
	);
	console.log(`callbacks: ${lines.join(' ')}`);
	const delivered = new Set(
		emulator.callbacks.filter((c) => c.status >= 200 && c.status < 300).map((c) => c.taskId),
	);
	const tasks = [...new Set(emulator.callbacks.map((c) => c.taskId))];
	console.log(`tasks called back: ${tasks.length}, delivered: ${delivered.size}`);
	const refusals = new Set(
		emulator.callbacks.filter((c) => c.answer && c.status !== 409).map((c) => c.answer),
	);
	for (const answer of refusals) console.log(`refused: ${answer}`);
}

async function runOnce(n8n, emulator, credential, mode) {
	emulator.reset();
	emulator.configure({ apiLatencyMs: 300, apiJitterMs: 100 });
	const pathName = `maxapi-bench-${mode}`;
	const prompts = Array.from({ length: N }, (_, i) => ({
		prompt: `task ${i} mock:latency=${latencyOf(i)}`,
	}));
	const workflow = webhookWorkflow(
		`bench ${mode}`,
		pathName,
		[
			codeNode('Prompts', prompts),
			maxApiNode('Make videos', {
				prompt: '={{ $json.prompt }}',
				waitForCompletion: mode,
				timeLimitMinutes: 30,
			}),
		],
		{ Prompts: { main: [[{ node: 'Make videos', type: 'main', index: 0 }]] } },
	);
	const { created, url } = await n8n.activateWebhookWorkflow(workflow, credential, pathName);

	const before = rssMb(n8n.process.pid);
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, rssMb(n8n.process.pid))), 100);
	const t0 = Date.now();
	try {
		await postJson(url, {});
		const execution = await waitUntil(
			async () => {
				const [found] = await n8n.executions(created.id);
				return found && ['success', 'error', 'crashed'].includes(found.status) && found;
			},
			{ timeoutMs: 300_000, intervalMs: 500, what: `the ${mode} execution to end` },
		);
		if (execution.status !== 'success')
			throw new Error(`${mode}: the execution ended with ${execution.status}`);
		const wall = Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt);
		return { wall, growth: peak - before, requests: emulator.requests.length };
	} finally {
		if (process.env.MAXAPI_BENCH_DEBUG) printCallbacks(emulator, t0);
		clearInterval(sampler);
		await n8n.api('POST', `/workflows/${created.id}/deactivate`);
	}
}

async function main() {
	const { n8n, remove } = await oneN8n('bench-n8n');
	const emulator = createEmulator({ callbackRetryDelayMs: 200 });
	await emulator.start();
	const stopAll = async () => {
		await n8n.stop();
		if (process.env.MAXAPI_BENCH_DEBUG) fs.copyFileSync(n8n.logFile, '/tmp/bench-n8n.log');
		await emulator.stop();
		remove();
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
	process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));
	try {
		log('[bench:n8n] starting n8n…');
		const credential = await n8n.startWithEmulatorCredential(emulator);
		console.log(
			`n8n-nodes-maxapi in a real n8n 2.41.1: N = ${N}, latencies 1–20 s, API 300 ± 100 ms, ${os.cpus().length} CPUs`,
		);
		const modes = (
			process.argv.find((arg) => arg.startsWith('--only='))?.slice(7) ?? 'poll,callback'
		).split(',');
		for (const mode of modes) {
			const { wall, growth, requests } = await runOnce(n8n, emulator, credential, mode);
			console.log(
				`     ${mode}: wall ${(wall / 1000).toFixed(2)} s, ${requests} API requests, n8n RSS growth ${growth.toFixed(0)} MB`,
			);
			goal(
				`${mode} in n8n, wall ÷ slowest`,
				(wall / SLOWEST_MS).toFixed(3),
				'≤ 1.15',
				wall / SLOWEST_MS <= 1.15,
			);
		}
	} finally {
		await stopAll();
	}
	printGoalSummary();
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
