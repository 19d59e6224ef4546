#!/usr/bin/env node
// `npm run bench`: how waiting scales, measured against the local emulator over real HTTP.
//   1. N = 100 tasks with latencies spread evenly over 1–20 s, in one workflow run:
//      Poll and Callback (resume): wall time ÷ slowest task (goal ≤ 1.10) and API reads per task;
//      a one-at-a-time baseline (submit, poll to the end, next task) as a ratio.
//   2. Peak RSS growth while downloading a 200 MB result as binary data (goal < 64 MB).
// Options: --baseline=sample (default: every 10th task, time ×10) | full (all 100, about 18 minutes) | none
require('./register-ts');
require('../test/harness/env');

const { Container } = require('@n8n/di');
const { BinaryDataService } = require('n8n-core');
const { createEmulator } = require('../test/emulator/server');
const { runWorkflow } = require('../test/harness/n8n');
const { WaitingWebhooks } = require('../test/harness/waiting');
const { maxApiWorkflow } = require('../test/helpers');

const N = 100;
const SLOWEST_MS = 20_000;
const latencyOf = (i) => Math.round(1000 + (i * (SLOWEST_MS - 1000)) / (N - 1));
const baselineMode = (
	process.argv.find((arg) => arg.startsWith('--baseline=')) ?? '--baseline=sample'
).split('=')[1];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const items = (indexes, extra = '') =>
	indexes.map((i) => ({ json: { prompt: `task ${i} mock:latency=${latencyOf(i)}${extra}` } }));
const parameters = (waitForCompletion, more = {}) => ({
	operation: 'submit',
	waitForCompletion,
	timeLimitMinutes: 30,
	family: 'seedance',
	model: 'seedance-2.0',
	prompt: '={{ $json.prompt }}',
	...more,
});

async function main() {
	const emulator = createEmulator({ callbackRetryDelayMs: 200 });
	await emulator.start();
	const credentials = { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } };
	const all = Array.from({ length: N }, (_, i) => i);
	const reads = () => emulator.requests.filter((request) => request.route === 'get').length;
	const lines = [
		`n8n-nodes-maxapi benchmark: ${N} tasks, emulator latencies 1–20 s, Node ${process.version}`,
	];
	const print = (line) => {
		lines.push(line);
		console.log(line);
	};
	console.log(lines[0]);

	// Poll
	let started = Date.now();
	const polled = await runWorkflow(maxApiWorkflow(parameters('poll')), {
		credentials,
		items: items(all),
	});
	const pollWall = Date.now() - started;
	check(polled, 'poll');
	print(
		`Poll:     wall ${seconds(pollWall)} ÷ slowest ${seconds(SLOWEST_MS)} = ${(pollWall / SLOWEST_MS).toFixed(3)} (goal ≤ 1.10); API reads per task ${(reads() / N).toFixed(1)}`,
	);

	// Callback (resume)
	emulator.reset();
	const waiting = new WaitingWebhooks();
	await waiting.start();
	started = Date.now();
	const { id } = await waiting.run(maxApiWorkflow(parameters('callback')), {
		credentials,
		items: items(all),
	});
	const resumed = await waiting.finished(id);
	const callbackWall = Date.now() - started;
	check(resumed, 'callback');
	print(
		`Callback: wall ${seconds(callbackWall)} ÷ slowest ${seconds(SLOWEST_MS)} = ${(callbackWall / SLOWEST_MS).toFixed(3)}; API reads per task ${(reads() / N).toFixed(1)} (${reads()} in all, ${waiting.requests.length} callbacks)`,
	);
	await waiting.stop();

	// One at a time: what a hand-built loop does, item after item.
	if (baselineMode !== 'none') {
		emulator.reset();
		const sample = baselineMode === 'full' ? all : all.filter((i) => i % 10 === 5);
		started = Date.now();
		for (const i of sample) {
			check(
				await runWorkflow(maxApiWorkflow(parameters('poll')), { credentials, items: items([i]) }),
				'baseline',
			);
		}
		const measured = Date.now() - started;
		const baselineWall = (measured * N) / sample.length;
		const how =
			sample.length === N
				? 'measured'
				: `measured on ${sample.length} of the ${N} tasks, ×${N / sample.length}`;
		print(
			`Baseline: one at a time ${seconds(baselineWall)} (${how}); Poll takes ${(pollWall / baselineWall).toFixed(3)} of that (${(baselineWall / pollWall).toFixed(0)}× faster)`,
		);
	}

	// 200 MB download into n8n's filesystem binary store (n8n's default outside queue mode).
	emulator.reset();
	await Container.get(BinaryDataService).init();
	const bytes = 200 * 1024 * 1024;
	global.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	const downloaded = await runWorkflow(
		maxApiWorkflow(
			parameters('poll', {
				downloadResults: true,
				prompt: `big mock:latency=100 mock:resultBytes=${bytes}`,
			}),
		),
		{ credentials },
	);
	clearInterval(sampler);
	check(downloaded, 'download');
	const binary = downloaded.output('MaxApi')[0].binary.data;
	print(
		`Download: ${binary.fileSize} stored as binary data (${binary.id ? 'filesystem' : 'inline'}); peak RSS growth ${((peak - before) / 1024 / 1024).toFixed(1)} MB (goal < 64 MB)`,
	);

	await emulator.stop();
}

function check(result, what) {
	if (result.status !== 'success')
		throw new Error(`${what}: the workflow ended with ${result.status}: ${result.error?.message}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
