#!/usr/bin/env node
// `npm run bench:n8n`: waiting at real sizes inside a real n8n (the e2e suites' cached install), against
// the emulator playing a hosted API (every request 300 ± 100 ms), tasks of 10–30 s spread evenly.
// Not a test: it prints what it measured and `goal <what>: <measured> (goal <target>) ok|MISSED` lines.
//
//   npm run bench:n8n                       the issue's goals, one process then queue mode
//   npm run bench:n8n -- --n 100,250,500,1000 --only poll,callback [--single|--queue] [--n8n 1.123.81]
//
// Scenarios: poll (no files), poll-files (each task's 1 MB file downloaded), callback (Callback (Resume),
// Poll First at its default of 10 s), burst (Callback with Poll First 0: every callback reaches the
// parked execution). For each run: wall ÷ slowest task (n8n's own startedAt / stoppedAt), the peak RSS
// growth of each n8n process (sampled every 100 ms, each run in a freshly started n8n), callbacks
// answered per HTTP status, whether n8n's REST API answered throughout (a request a second, each given
// 5 s), and whether the execution resumed once with every item in order. MAXAPI_BENCH_DEBUG=1 prints every callback attempt and keeps n8n's logs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createEmulator } = require('../../test/emulator/server');
const { n8nVersion } = require('./install');
const { oneN8n } = require('./n8n');
const { packPackage } = require('./pack');
const { startQueueN8n } = require('./queueN8n');
const { log, webhookWorkflow, codeNode, loopOverItems, maxApiNode, postJson } = require('./suite');
const { waitUntil } = require('./waitUntil');
const { goal, printGoalSummary } = require('../goals');

const FASTEST_MS = 10_000;
const SLOWEST_MS = 30_000;
const FILE_BYTES = 1_000_000;
// Item i gets the latency of rank (i · 7919) mod N: spread evenly over the batch and over any run of
// items (7919 is prime), so that each chunk of a chunked run finishes as spread out as the whole batch.
const latencyOf = (i, n) =>
	n === 1
		? SLOWEST_MS
		: Math.round(FASTEST_MS + (((i * 7919) % n) * (SLOWEST_MS - FASTEST_MS)) / (n - 1));

const SCENARIOS = {
	poll: { waitForCompletion: 'poll' },
	'poll-files': { waitForCompletion: 'poll', downloadResults: true },
	callback: { waitForCompletion: 'callback' },
	burst: { waitForCompletion: 'callback', pollFirstSeconds: 0 },
	// The README's pattern for more than 500 items: Loop Over Items in chunks of 250, each parked.
	chunked: { waitForCompletion: 'callback' },
};
const CHUNK = 250;
const MAX_PARKED = 500; // the most one parked execution waits for (the node refuses more)

/** The slowest task, or for chunks run one after another the sum of each chunk's slowest. */
function slowestMs(scenario, n) {
	if (scenario !== 'chunked') return SLOWEST_MS;
	let sum = 0;
	for (let first = 0; first < n; first += CHUNK) {
		const chunk = Array.from({ length: Math.min(CHUNK, n - first) }, (_, i) =>
			latencyOf(first + i, n),
		);
		sum += Math.max(...chunk);
	}
	return sum;
}

/** The issue's goals: [scenario, N, { wall, growthMb }]. */
const GOALS = [
	['poll-files', 1000, { wall: 1.25, growthMb: 400 }],
	['callback', 500, { wall: 1.3, growthMb: 1024 }],
	// One execution no longer takes 1000 callbacks: refused before anything is sent, and run in chunks.
	['callback', 1000, { refused: true }],
	['chunked', 1000, { wall: 1.3, growthMb: 1024 }],
	['burst', 500, { growthMb: 1536 }],
];

function argument(name) {
	const index = process.argv.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
	if (index < 0) return undefined;
	return process.argv[index].includes('=')
		? process.argv[index].split('=')[1]
		: process.argv[index + 1];
}

function plannedRuns() {
	const sizes = argument('--n')?.split(',').map(Number);
	const only = argument('--only')?.split(',');
	for (const scenario of only ?? [])
		if (!SCENARIOS[scenario]) throw new Error(`--only: no scenario "${scenario}"`);
	if (!sizes && !only) return GOALS.map(([scenario, n, targets]) => ({ scenario, n, targets }));
	const runs = [];
	for (const scenario of only ?? Object.keys(SCENARIOS))
		for (const n of sizes ?? [100]) {
			const targets = GOALS.find(([s, size]) => s === scenario && size === n)?.[2];
			runs.push({ scenario, n, targets });
		}
	return runs;
}

function deployments() {
	if (process.argv.includes('--single')) return ['single'];
	if (process.argv.includes('--queue')) return ['queue'];
	return ['single', 'queue'];
}

function rssMb(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
	} catch {
		return 0; // the process is gone
	}
}

/** CPU seconds a process has used so far (user + system; its task runner child not counted). */
function cpuSeconds(pid) {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return 0;
	}
}

/** Peak RSS growth and CPU seconds of each process, from start() to stop() (RSS every 100 ms). */
function memorySampler(processes) {
	const cpuBefore = processes.map((p) => cpuSeconds(p.process.pid));
	const before = processes.map((p) => rssMb(p.process.pid));
	const peak = [...before];
	const timer = setInterval(() => {
		processes.forEach((p, i) => (peak[i] = Math.max(peak[i], rssMb(p.process.pid))));
	}, 100);
	return {
		stop() {
			clearInterval(timer);
			return processes.map((p, i) => ({
				name: p.name,
				before: before[i],
				growth: peak[i] - before[i],
				cpu: cpuSeconds(p.process.pid) - cpuBefore[i],
			}));
		},
	};
}

/** Asks n8n's REST API (public API, a database read) once a second; counts what did not answer in 5 s. */
function restProbe(n8n) {
	const result = { asked: 0, failed: 0, slowestMs: 0, firstFailure: undefined };
	let running = true;
	const loop = (async () => {
		while (running) {
			const sentAt = Date.now();
			result.asked++;
			try {
				const response = await fetch(`${n8n.baseUrl}/api/v1/workflows?limit=1`, {
					headers: { 'x-n8n-api-key': n8n.apiKey },
					signal: AbortSignal.timeout(5000),
				});
				if (!response.ok) throw new Error(`HTTP ${response.status}`);
				await response.arrayBuffer();
			} catch (error) {
				result.failed++;
				result.firstFailure ??= error.message;
			}
			result.slowestMs = Math.max(result.slowestMs, Date.now() - sentAt);
			await new Promise((resolve) =>
				setTimeout(resolve, Math.max(0, 1000 - (Date.now() - sentAt))),
			);
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return result;
		},
	};
}

/** Callback attempts by answer: `200: 480, 409: 20`; refusals before the resume counted apart. */
function callbackSummary(emulator, resumeStartedAt) {
	const byStatus = {};
	let refusedBeforeResume = 0;
	for (const attempt of emulator.callbacks) {
		const key = attempt.status ?? 'no answer';
		byStatus[key] = (byStatus[key] ?? 0) + 1;
		const refused = !(attempt.status >= 200 && attempt.status < 300);
		if (refused && !(resumeStartedAt && attempt.at >= resumeStartedAt)) refusedBeforeResume++;
	}
	const text = Object.entries(byStatus)
		.map(([status, count]) => `${status}: ${count}`)
		.join(', ');
	return { text: text || 'none', attempts: emulator.callbacks.length, refusedBeforeResume };
}

function printCallbacks(emulator, t0) {
	const lines = emulator.callbacks.map(
		(c) =>
			`${c.taskId.slice(-4)}#${c.attempt}@${((c.at - t0) / 1000).toFixed(2)}:${c.status ?? c.error}`,
	);
	console.log(`callbacks: ${lines.join(' ')}`);
	const refusals = new Set(
		emulator.callbacks.filter((c) => c.status !== 200).map((c) => c.answer ?? c.error),
	);
	for (const answer of refusals) console.log(`refused: ${answer}`);
}

/** MAXAPI_BENCH_DEBUG=1: how big the parked execution's data is, as n8n's API gives it (JSON). */
async function printParkedSize(n8n, workflowId) {
	const parked = await waitUntil(async () => (await n8n.executions(workflowId, 'waiting'))[0], {
		timeoutMs: 60_000,
		what: 'the execution to park',
	});
	const size = (value) => `${(JSON.stringify(value ?? null).length / 1024).toFixed(0)} KB`;
	const runData = parked.data.resultData.runData;
	console.log(
		`parked execution: ${size(parked.data)} in all; ${Object.entries(runData)
			.map(([node, runs]) => `${node} ${size(runs)}`)
			.join(', ')}; executionData ${size(parked.data.executionData)}`,
	);
}

/**
 * n8n's own startedAt → stoppedAt, where it covers the whole run: n8n 1.x sets startedAt anew when an
 * execution resumes, and there the time from the start request until the bench saw it end counts (it
 * looks once a second).
 */
function wallOf(execution, seenMs) {
	const ownMs = Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt);
	return ownMs >= seenMs - 2000 ? ownMs : seenMs;
}

/** Whether the output holds every item once, in input order, each task finished successfully. */
function checkOutput(execution, n, scenario) {
	const runData = execution.data?.resultData?.runData ?? {};
	const runs = runData['Make videos'] ?? [];
	// In chunks, the loop's "done" output holds every item that came back from Make videos.
	const last = scenario === 'chunked' ? runData['Loop Over Items']?.at(-1) : runs.at(-1);
	const items = last?.data?.main?.[0] ?? [];
	const prompts = items.map((item) => /^task (\d+) /.exec(item.json?.input?.prompt ?? '')?.[1]);
	const inOrder = items.length === n && prompts.every((p, i) => Number(p) === i);
	const allSucceeded = items.every((item) => item.json?.status === 'SUCCESS');
	const expectedRuns = scenario === 'chunked' ? Math.ceil(n / CHUNK) : 1;
	return { runs: runs.length, expectedRuns, items: items.length, inOrder, allSucceeded };
}

async function runOnce(deployment, { scenario, n }) {
	const { n8n, processes, emulator, credential } = deployment;
	emulator.reset();
	emulator.configure({ apiLatencyMs: 300, apiJitterMs: 100 });
	const pathName = `maxapi-bench-${scenario}-${n}-${Date.now()}`;
	const prompts = Array.from({ length: n }, (_, i) => ({
		prompt: `task ${i} mock:latency=${latencyOf(i, n)}${scenario === 'poll-files' ? ` mock:resultBytes=${FILE_BYTES}` : ''}`,
	}));
	const makeVideos = maxApiNode('Make videos', {
		prompt: '={{ $json.prompt }}',
		timeLimitMinutes: 30,
		...SCENARIOS[scenario],
	});
	const workflow =
		scenario === 'chunked'
			? webhookWorkflow(
					`bench ${scenario} ${n}`,
					pathName,
					[codeNode('Prompts', prompts), loopOverItems('Loop Over Items', CHUNK), makeVideos],
					{
						Prompts: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
						'Loop Over Items': { main: [[], [{ node: 'Make videos', type: 'main', index: 0 }]] },
						'Make videos': { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
					},
				)
			: webhookWorkflow(
					`bench ${scenario} ${n}`,
					pathName,
					[codeNode('Prompts', prompts), makeVideos],
					{
						Prompts: { main: [[{ node: 'Make videos', type: 'main', index: 0 }]] },
					},
				);
	const { created, url } = await n8n.activateWebhookWorkflow(workflow, credential, pathName);
	const webhookUrl = deployment.webhookBase
		? url.replace(n8n.baseUrl, deployment.webhookBase)
		: url;

	const memory = memorySampler(processes);
	const probe = restProbe(n8n);
	const t0 = Date.now();
	let ended;
	let execution;
	let error;
	try {
		await postJson(webhookUrl, {});
		if (process.env.MAXAPI_BENCH_DEBUG && scenario !== 'poll' && scenario !== 'poll-files')
			void printParkedSize(n8n, created.id);
		ended = await waitUntil(
			async () => {
				const [found] = await n8n.executionSummaries(created.id);
				return found && ['success', 'error', 'crashed'].includes(found.status) && found;
			},
			{
				timeoutMs: 4 * SLOWEST_MS + 60_000,
				intervalMs: 1000,
				what: `the ${scenario} execution to end`,
			},
		);
	} catch (caught) {
		error = caught.message;
	}
	const endedSeenAt = Date.now();
	const growth = memory.stop();
	const rest = await probe.stop();
	if (ended) execution = await n8n.execution(ended.id);
	if (process.env.MAXAPI_BENCH_DEBUG) printCallbacks(emulator, t0);
	const executions = await n8n.executionSummaries(created.id).catch(() => []);
	await n8n.api('POST', `/workflows/${created.id}/deactivate`).catch(() => undefined);
	const resumeStartedAt = execution?.data?.resultData?.runData?.['Make videos']?.at(-1)?.startTime;
	return {
		error: error ?? (execution.status !== 'success' ? `ended with ${execution.status}` : undefined),
		wall: execution ? wallOf(execution, endedSeenAt - t0) : NaN,
		output: execution ? checkOutput(execution, n, scenario) : undefined,
		executions: executions.length,
		errorMessage: execution?.data?.resultData?.error?.message,
		growth,
		rest,
		requests: emulator.requests.length,
		callbacks: callbackSummary(emulator, scenario.startsWith('poll') ? undefined : resumeStartedAt),
	};
}

function report(deploymentName, run, result) {
	const { scenario, n, targets } = run;
	const label = `${deploymentName} ${scenario} N=${n}`;
	const slowest = slowestMs(scenario, n);
	const growthText = result.growth
		.map((g) => `${g.name} +${g.growth.toFixed(0)} MB, ${g.cpu.toFixed(1)} CPU s`)
		.join('; ');
	console.log(
		`  ${label}: ${result.error ? `FAILED (${result.error}), ` : ''}wall ${(result.wall / 1000).toFixed(1)} s = ${(result.wall / slowest).toFixed(3)} × slowest (${slowest / 1000} s); ${result.requests} API requests; RSS ${growthText}; callbacks ${result.callbacks.text}; REST ${result.rest.asked - result.rest.failed}/${result.rest.asked} answered (slowest ${result.rest.slowestMs} ms)`,
	);
	if (!targets) return;
	if (targets.refused) {
		goal(
			`${label}: refused before anything is sent`,
			`${result.errorMessage ?? 'not refused'}; ${result.requests} API requests`,
			`"at most ${MAX_PARKED} items", 0 requests`,
			String(result.errorMessage).includes(`at most ${MAX_PARKED} items`) && result.requests === 0,
		);
		return;
	}
	const whole =
		!result.error &&
		result.executions === 1 &&
		result.output?.inOrder &&
		result.output.allSucceeded &&
		result.output.runs === result.output.expectedRuns;
	goal(
		`${label}: one execution, every item in order`,
		result.error ??
			`${result.executions} execution(s), ${result.output?.items} items${result.output?.inOrder ? ' in order' : ' NOT in order'}`,
		`1, ${n} in order`,
		Boolean(whole),
	);
	if (targets.wall)
		goal(
			`${label}: wall ÷ slowest`,
			(result.wall / slowest).toFixed(3),
			`≤ ${targets.wall}`,
			result.wall / slowest <= targets.wall,
		);
	for (const g of result.growth)
		goal(
			`${label}: ${g.name} RSS growth`,
			`${g.growth.toFixed(0)} MB`,
			`≤ ${targets.growthMb} MB`,
			g.growth <= targets.growthMb,
		);
	if (!scenario.startsWith('poll'))
		goal(
			`${label}: callbacks refused before the resume`,
			`${result.callbacks.refusedBeforeResume} of ${result.callbacks.attempts} attempts`,
			scenario === 'burst' ? '(reported)' : '0',
			scenario === 'burst' || result.callbacks.refusedBeforeResume === 0,
		);
	goal(
		`${label}: n8n's REST API answered`,
		`${result.rest.asked - result.rest.failed} of ${result.rest.asked}${result.rest.firstFailure ? ` (${result.rest.firstFailure})` : ''}`,
		'all',
		result.rest.failed === 0,
	);
}

async function startDeployment(kind, emulator) {
	if (kind === 'single') {
		const { n8n, remove } = await oneN8n('bench-n8n');
		const credential = await n8n.startWithEmulatorCredential(emulator);
		const stop = async () => {
			await n8n.stop();
			if (process.env.MAXAPI_BENCH_DEBUG) fs.copyFileSync(n8n.logFile, '/tmp/bench-n8n.log');
			remove();
		};
		return { n8n, processes: [Object.assign(n8n, { name: 'main' })], emulator, credential, stop };
	}
	const queue = await startQueueN8n({
		name: 'bench-queue',
		tarball: process.env.MAXAPI_E2E_TARBALL,
		onStarted: (line) => log(`[bench:n8n queue] ${line}`),
	});
	const credential = await queue.main.createEmulatorCredential(emulator);
	return {
		n8n: queue.main,
		processes: queue.processes,
		webhookBase: queue.webhooks[0].baseUrl,
		emulator,
		credential,
		stop: async () => {
			if (process.env.MAXAPI_BENCH_DEBUG)
				for (const p of queue.processes) fs.copyFileSync(p.logFile, `/tmp/bench-n8n-${p.name}.log`);
			await queue.stop();
		},
	};
}

async function main() {
	const runs = plannedRuns();
	// One build for every run: packed once (or MAXAPI_E2E_TARBALL, to measure another build).
	process.env.MAXAPI_E2E_TARBALL ||= packPackage(
		fs.mkdtempSync(path.join(os.tmpdir(), 'maxapi-bench-')),
	);
	const emulator = createEmulator({ callbackRetryDelayMs: 1000 });
	await emulator.start();
	let deployment;
	const stopAll = async () => {
		await deployment?.stop();
		await emulator.stop();
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
	process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));
	console.log(
		`n8n-nodes-maxapi in a real n8n ${n8nVersion()}: tasks of ${FASTEST_MS / 1000}–${SLOWEST_MS / 1000} s spread evenly, API 300 ± 100 ms, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
	);
	try {
		for (const kind of deployments()) {
			console.log(
				kind === 'single'
					? 'One process (SQLite):'
					: 'Queue mode (PostgreSQL, Redis, main, 2 workers, 1 webhook process):',
			);
			// Each run gets a freshly started n8n, so that what one run leaves behind (a grown heap, a
			// swamped process) does not count for the next.
			for (const run of runs) {
				log(`[bench:n8n] starting n8n (${kind === 'single' ? 'one process' : 'queue mode'})…`);
				deployment = await startDeployment(kind, emulator);
				const result = await runOnce(deployment, run);
				report(kind === 'single' ? 'one process' : 'queue', run, result);
				await deployment.stop();
				deployment = undefined;
			}
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
