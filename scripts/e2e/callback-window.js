#!/usr/bin/env node
// `npm run bench:callback-window`: how often Callback (Resume) ends wrongly because n8n refused (409) a
// callback that came before the execution was parked, when MaxAPI never calls again. In a real n8n
// (single process, the cached install of the e2e suite): 50 small batches of fast tasks (0.5–5 s), all
// started at once, once with Poll First 0 (parks right after submitting, as 0.1.0 did) and once with the
// default (10 s). A batch has ended wrongly when every callback has been answered and it still waits: it would
// wait until its time limit and come out "unfinished" although every task succeeded.
//
// Options: --batches 50 --tasks 2 --latency 500-5000 (ms) --poll-first 0,10 --seed 1. MAXAPI_E2E_TARBALL=<.tgz> measures another
// build of the package (e.g. an older release) instead of this checkout.

const { createEmulator } = require('../../test/emulator/server');
const { oneN8n } = require('./n8n');
const { log, postJson, webhookWorkflow, codeNode, maxApiNode } = require('./suite');
const { waitUntil } = require('./waitUntil');

function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}

/** mulberry32: the same latencies on every run for one seed. */
function random(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

async function measure(
	n8n,
	emulator,
	credential,
	{ batches, tasks, latency, pollFirstSeconds, seed },
) {
	emulator.reset();
	emulator.configure({ callbackRetries: 0 });
	const pathName = `maxapi-window-${pollFirstSeconds}-${Date.now()}`;
	const workflow = webhookWorkflow(
		`callback window, Poll First ${pollFirstSeconds} s`,
		pathName,
		[
			{
				...codeNode('Prompts', []),
				parameters: {
					jsCode:
						'return $input.first().json.body.prompts.map((prompt) => ({ json: { prompt } }));',
				},
			},
			maxApiNode('Make videos', {
				prompt: '={{ $json.prompt }}',
				waitForCompletion: 'callback',
				timeLimitMinutes: 30,
				pollFirstSeconds,
			}),
		],
		{ Prompts: { main: [[{ node: 'Make videos', type: 'main', index: 0 }]] } },
	);
	const { created, url } = await n8n.activateWebhookWorkflow(workflow, credential, pathName);

	const next = random(seed);
	const plans = Array.from({ length: batches }, () =>
		Array.from(
			{ length: tasks },
			() => `fast mock:latency=${Math.round(latency[0] + next() * (latency[1] - latency[0]))}`,
		),
	);
	const t0 = Date.now();
	await Promise.all(plans.map(async (prompts) => await postJson(url, { prompts })));
	const taskCount = batches * tasks;
	// Every task has ended and every callback has been answered (once: MaxAPI does not call again), and
	// no execution is still starting or running: from here on nothing can change.
	const executions = await waitUntil(
		async () => {
			if (emulator.tasks.size < taskCount || emulator.callbacks.length < taskCount) return false;
			const list = await n8n.executions(created.id);
			return (
				list.length === batches &&
				list.every((execution) => ['success', 'waiting', 'error'].includes(execution.status)) &&
				list
			);
		},
		{ timeoutMs: 300_000, intervalMs: 1000, what: 'every batch to settle' },
	);
	const stuck = executions.filter((execution) => execution.status === 'waiting').length;
	const refused = emulator.callbacks.filter((delivery) => delivery.status === 409).length;
	const failed = executions.filter((execution) => execution.status === 'error').length;
	await n8n.api('POST', `/workflows/${created.id}/deactivate`);
	return {
		pollFirstSeconds,
		batches,
		tasks: taskCount,
		stuck,
		failed,
		refused,
		seconds: (Date.now() - t0) / 1000,
	};
}

async function main() {
	const batches = Number(option('batches', 50));
	const tasks = Number(option('tasks', 2));
	const seed = Number(option('seed', 1));
	const pollFirst = String(option('poll-first', '0,10')).split(',').map(Number);
	const latency = String(option('latency', '500-5000')).split('-').map(Number);
	const { n8n, remove } = await oneN8n('window');
	const emulator = createEmulator();
	await emulator.start();
	const stopAll = async () => {
		await n8n.stop();
		await emulator.stop();
		remove();
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
	try {
		const credential = await n8n.startWithEmulatorCredential(emulator);
		console.log(
			`${batches} batches of ${tasks} tasks (${latency.map((ms) => ms / 1000).join('–')} s, seed ${seed}), started at once; MaxAPI never calls again`,
		);
		console.log(
			'| Poll First | batches stuck waiting | callbacks refused (409) | batches failed | took |',
		);
		console.log('|---|---|---|---|---|');
		for (const seconds of pollFirst) {
			log(`[window] Poll First ${seconds} s…`);
			const result = await measure(n8n, emulator, credential, {
				batches,
				tasks,
				latency,
				pollFirstSeconds: seconds,
				seed,
			});
			console.log(
				`| ${seconds} s | **${result.stuck} of ${result.batches}** | ${result.refused} of ${result.tasks} | ${result.failed} | ${result.seconds.toFixed(1)} s |`,
			);
		}
	} finally {
		await stopAll();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
