#!/usr/bin/env node
// `npm run bench`: how waiting scales, measured in one process against the emulator over real HTTP, with
// the emulator playing a hosted API (every request takes 300 ± 100 ms; a rate limit; a bandwidth per
// download). Not a test: it prints one line per goal, `goal <what>: <measured> (goal <target>) ok|MISSED`.
// Task latencies are spread evenly over 1–20 s, so the slowest task takes 20 s.
// Options: --baseline=sample (default: every 10th task, time ×10) | full | none; --only=<scenario,…>
require('./register-ts');
require('../test/harness/env');

const { Container } = require('@n8n/di');
const { BinaryDataService } = require('n8n-core');
const { spawn } = require('node:child_process');
const path = require('node:path');

const { createEmulator, DEFAULT_API_KEY } = require('../test/emulator/server');
const { RATE_LIMIT_KINDS } = require('../test/emulator/shaping');
const { runWorkflow } = require('../test/harness/n8n');
const { WaitingWebhooks } = require('../test/harness/waiting');
const { maxApiWorkflow } = require('../test/helpers');
const { goal, printGoalSummary } = require('./goals');

const SLOWEST_MS = 20_000;
const HOSTED_API = { apiLatencyMs: 300, apiJitterMs: 100 };
const option = (name, fallback) =>
	(process.argv.find((arg) => arg.startsWith(`--${name}=`)) ?? `--${name}=${fallback}`).split(
		'=',
	)[1];
const only = option('only', '');
const baselineMode = option('baseline', 'sample');

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const latencyOf = (i, n) => Math.round(1000 + (i * (SLOWEST_MS - 1000)) / Math.max(n - 1, 1));
const prompts = (n, extra = '') =>
	Array.from({ length: n }, (_, i) => ({
		json: { prompt: `task ${i} mock:latency=${latencyOf(i, n)}${extra}` },
	}));
const parameters = (waitForCompletion, more = {}) => ({
	operation: 'submit',
	waitForCompletion,
	timeLimitMinutes: 30,
	family: 'seedance',
	model: 'seedance-2.0',
	prompt: '={{ $json.prompt }}',
	...more,
});

/** One Poll run of n tasks against a limit of this kind ("rate" is the cap on requests in flight for in-flight). */
async function rateLimitRun(emulator, credentials, { kind, n, rate }) {
	emulator.reset();
	emulator.configure({ ...HOSTED_API, rateLimit: rate, rateLimitKind: kind });
	const started = Date.now();
	const result = await runWorkflow(maxApiWorkflow(parameters('poll')), {
		credentials,
		items: prompts(n),
	});
	const wall = Date.now() - started;
	const outputs = result.status === 'success' ? result.output('MaxApi') : [];
	const submitted = [...emulator.tasks.values()].map((task) => task.input.prompt);
	const limited = emulator.requests.filter((request) => request.status === 429).length;
	const bound = 1.3 * ((n / rate) * 1000 + SLOWEST_MS);
	const name = `rate limit ${kind} N=${n} at ${rate}${kind === 'in-flight' ? ' in flight' : '/s'}`;
	info(
		`${name}: ${emulator.requests.length} requests, ${limited} answered 429, wall ${seconds(wall)}`,
	);
	goal(
		`${name}: nothing lost or sent twice`,
		`${outputs.filter((item) => item.json.status === 'SUCCESS').length} of ${n} out, ${emulator.tasks.size} tasks, ${new Set(submitted).size} distinct prompts`,
		`${n} of each`,
		outputs.length === n &&
			outputs.every((item) => item.json.status === 'SUCCESS') &&
			emulator.tasks.size === n &&
			new Set(submitted).size === n,
	);
	goal(
		`${name}: 429s`,
		`${((100 * limited) / emulator.requests.length).toFixed(1)} % of ${emulator.requests.length} requests`,
		'≤ 5 %',
		limited <= 0.05 * emulator.requests.length,
	);
	goal(
		`${name}: wall`,
		seconds(wall),
		`≤ 1.3 × (N ÷ rate + slowest) = ${seconds(bound)}`,
		wall <= bound,
	);
}

const info = (line) => console.log(`     ${line}`);

function check(result, what) {
	if (result.status !== 'success') {
		throw new Error(`${what}: the workflow ended with ${result.status}: ${result.error?.message}`);
	}
}

/** Samples the process's RSS every 5 ms while `work` runs; returns its result and the peak growth. */
async function peakRssGrowth(work) {
	global.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	try {
		return { result: await work(), growthMb: (peak - before) / 1024 / 1024 };
	} finally {
		clearInterval(sampler);
	}
}

/** The emulator as a process of its own (`npm run emulator`), read through its control API. */
async function emulatorProcess(args) {
	const child = spawn(
		process.execPath,
		[path.join(__dirname, 'emulator.js'), '--port', '0', ...args],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const baseUrl = await new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const found = /listening on (http\S+)/.exec(out);
			if (found) resolve(found[1]);
		});
		child.once('exit', () => reject(new Error(`the emulator exited: ${out}`)));
	});
	return {
		credentials: { maxApiApi: { apiKey: DEFAULT_API_KEY, baseUrl } },
		control: async (what) => await (await fetch(`${baseUrl}/__emulator/${what}`)).json(),
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) =>
				child.exitCode !== null ? resolve() : child.once('exit', resolve),
			);
		},
	};
}

async function waitUntil(check, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const byRoute = (emulator, route) => emulator.requests.filter((request) => request.route === route);

async function pollScenario(emulator, credentials, { n, label, downloads = false }) {
	emulator.reset();
	emulator.configure(HOSTED_API);
	const started = Date.now();
	const { result, growthMb } = await peakRssGrowth(
		async () =>
			await runWorkflow(
				maxApiWorkflow(parameters('poll', downloads ? { downloadResults: true } : {})),
				{
					credentials,
					items: prompts(n, downloads ? ` mock:resultBytes=${20_000_000}` : ''),
				},
			),
	);
	const wall = Date.now() - started;
	check(result, label);
	const submits = byRoute(emulator, 'submit');
	return {
		wall,
		submitPhase: Math.max(...submits.map((request) => request.at)) - started,
		readsPerTask: byRoute(emulator, 'get').length / n,
		growthMb,
		result,
	};
}

const scenarios = {
	async poll100(emulator, credentials) {
		const run = await pollScenario(emulator, credentials, { n: 100, label: 'poll100' });
		info(
			`Poll, N = 100, API 300 ± 100 ms: wall ${seconds(run.wall)}, ${run.readsPerTask.toFixed(1)} reads per task`,
		);
		goal('Poll N=100 submit phase', seconds(run.submitPhase), '≤ 3 s', run.submitPhase <= 3000);
		goal(
			'Poll N=100 wall ÷ slowest',
			(run.wall / SLOWEST_MS).toFixed(3),
			'≤ 1.10',
			run.wall / SLOWEST_MS <= 1.1,
		);
		return run.wall;
	},

	async downloads(emulator, credentials) {
		emulator.configure({ downloadBytesPerSecond: 50_000_000 });
		const run = await pollScenario(emulator, credentials, {
			n: 100,
			label: 'downloads',
			downloads: true,
		});
		const files = run.result.output('MaxApi').filter((item) => item.binary?.data).length;
		info(
			`Poll, N = 100, 20 MB result each at 50 MB/s: ${files} files, peak RSS growth ${run.growthMb.toFixed(0)} MB`,
		);
		goal(
			'Poll N=100 with downloads wall',
			seconds(run.wall),
			`≤ slowest + 3 s = ${seconds(SLOWEST_MS + 3000)}`,
			run.wall <= SLOWEST_MS + 3000 && files === 100,
		);
	},

	// Every kind of limit real APIs use (MaxAPI documents none): the run's budget must keep under each.
	async rateLimit(emulator, credentials) {
		for (const kind of RATE_LIMIT_KINDS)
			for (const [n, rate] of [
				[60, 15],
				[200, 20],
			])
				await rateLimitRun(emulator, credentials, { kind, n, rate });
	},

	async poll1000(emulator, credentials) {
		const run = await pollScenario(emulator, credentials, { n: 1000, label: 'poll1000' });
		info(
			`Poll, N = 1000, API 300 ± 100 ms: wall ${seconds(run.wall)}, submit phase ${seconds(run.submitPhase)}`,
		);
		goal(
			'Poll N=1000 wall ÷ slowest',
			(run.wall / SLOWEST_MS).toFixed(3),
			'≤ 1.25',
			run.wall / SLOWEST_MS <= 1.25,
		);
		goal('Poll N=1000 reads per task', run.readsPerTask.toFixed(1), '≤ 12', run.readsPerTask <= 12);
		goal(
			'Poll N=1000 peak RSS growth',
			`${run.growthMb.toFixed(0)} MB`,
			'< 200 MB',
			run.growthMb < 200,
		);
	},

	async callback500() {
		// MaxAPI is another machine: here, another process, so that the callbacks n8n works through (each
		// loads the whole parked execution) do not slow the API down too. 500: the most one execution parks.
		const n = 500;
		const api = await emulatorProcess(['--api-latency', '300', '--api-jitter', '100']);
		const waiting = new WaitingWebhooks();
		await waiting.start();
		try {
			const started = Date.now();
			const { id } = await waiting.run(maxApiWorkflow(parameters('callback')), {
				credentials: api.credentials,
				items: prompts(n),
			});
			const resumed = await waiting.finished(id);
			const finishedAt = Date.now();
			check(resumed, 'callback500');
			// MaxAPI's callback for the task that ended last: the execution may resume on it, or earlier,
			// when another callback reads that task after it has ended.
			const tasks = await api.control('tasks');
			const lastTask = tasks.reduce((a, b) =>
				a.submittedAt + a.latencyMs >= b.submittedAt + b.latencyMs ? a : b,
			);
			const lastDelivery = await waitUntil(async () =>
				(await api.control('callbacks')).find((delivery) => delivery.taskId === lastTask.taskId),
			);
			const reads = (await api.control('requests')).filter(
				(request) => request.route === 'get',
			).length;
			// Each task must be read once it has finished; a check also reads a probe per round.
			const bound = 1.5 * n;
			info(
				`Callback, N = ${n}: wall ${seconds(finishedAt - started)}, ${waiting.requests.length} callbacks answered, ${reads} reads; the last task ended ${seconds(finishedAt - (lastTask.submittedAt + lastTask.latencyMs))} before the execution did`,
			);
			goal('Callback N=500 reads in all', `${reads}`, `≤ 1.5 × N = ${bound}`, reads <= bound);
			goal(
				'Callback N=500 resume after the last callback',
				seconds(finishedAt - lastDelivery.at),
				'≤ 2 s',
				finishedAt - lastDelivery.at <= 2000,
			);
		} finally {
			await waiting.stop();
			await api.stop();
		}
	},

	async baseline(emulator, credentials, pollWall) {
		if (baselineMode === 'none' || pollWall === undefined) return;
		emulator.reset();
		emulator.configure(HOSTED_API);
		const n = 100;
		const sample = Array.from({ length: n }, (_, i) => i).filter(
			(i) => baselineMode === 'full' || i % 10 === 5,
		);
		const started = Date.now();
		for (const i of sample) {
			check(
				await runWorkflow(maxApiWorkflow(parameters('poll')), {
					credentials,
					items: [prompts(n)[i]],
				}),
				'baseline',
			);
		}
		const baselineWall = ((Date.now() - started) * n) / sample.length;
		const how =
			sample.length === n
				? 'measured'
				: `measured on ${sample.length} of the ${n} tasks, ×${n / sample.length}`;
		info(`One at a time (submit, poll to the end, next): ${seconds(baselineWall)} (${how})`);
		info(
			`Poll N=100 takes ${(pollWall / baselineWall).toFixed(3)} of the one-at-a-time time (${(baselineWall / pollWall).toFixed(0)}× faster)`,
		);
	},

	async download200(emulator, credentials) {
		emulator.reset();
		const bytes = 200 * 1024 * 1024;
		const { result, growthMb } = await peakRssGrowth(
			async () =>
				await runWorkflow(
					maxApiWorkflow(
						parameters('poll', {
							downloadResults: true,
							prompt: `big mock:latency=100 mock:resultBytes=${bytes}`,
						}),
					),
					{ credentials },
				),
		);
		check(result, 'download200');
		const binary = result.output('MaxApi')[0].binary.data;
		info(
			`Download: ${binary.fileSize} stored as binary data (${binary.id ? 'filesystem' : 'inline'})`,
		);
		goal(
			'one 200 MB download, peak RSS growth',
			`${growthMb.toFixed(1)} MB`,
			'< 64 MB',
			growthMb < 64,
		);
	},
};

async function main() {
	const emulator = createEmulator({ callbackRetryDelayMs: 200 });
	await emulator.start();
	// Files go to n8n's filesystem binary store (its default outside queue mode), not into memory.
	await Container.get(BinaryDataService).init();
	const credentials = { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } };
	console.log(
		`n8n-nodes-maxapi benchmark, Node ${process.version}, ${require('os').cpus().length} CPUs`,
	);
	const wanted = (name) => only === '' || only.split(',').includes(name);
	let pollWall;
	try {
		for (const [name, scenario] of Object.entries(scenarios)) {
			if (!wanted(name)) continue;
			const value = await scenario(emulator, credentials, pollWall);
			if (name === 'poll100') pollWall = value;
		}
	} finally {
		await emulator.stop();
	}
	printGoalSummary();
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
