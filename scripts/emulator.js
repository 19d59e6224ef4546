#!/usr/bin/env node
'use strict';
// Runs the local MaxAPI emulator until Ctrl+C / SIGTERM. See test/emulator/README.md.
//   node scripts/emulator.js [--port N] [--latency MS] [--callback-retries N] [--reject-local-callbacks]
//     [--api-latency MS] [--api-jitter MS] [--rate-limit N [--rate-limit-kind KIND]] [--download-rate BYTES_PER_S]
// Environment: MAXAPI_EMULATOR_PORT, MAXAPI_EMULATOR_LATENCY_MS (command-line flags win).
const { createEmulator } = require('../test/emulator/server');
const { RATE_LIMIT_KINDS } = require('../test/emulator/shaping');

const USAGE = [
	'usage: node scripts/emulator.js [--port N] [--latency MS] [--callback-retries N] [--reject-local-callbacks]',
	'         [--api-latency MS] [--api-jitter MS] [--rate-limit N [--rate-limit-kind KIND]]',
	'         [--download-rate BYTES_PER_S]',
	'  --latency MS             task duration, submit to terminal status (default 5000)',
	'  --api-latency MS         every /api/v1 answer is sent MS later (default 0)',
	'  --api-jitter MS          ... plus or minus up to MS, uniform (default 0)',
	'  --rate-limit N           at most N /api/v1 requests per second, burst N; over it: 429 (default none)',
	`  --rate-limit-kind KIND   how N is counted: ${RATE_LIMIT_KINDS.join(', ')}`,
	'                           (N requests in flight); default token-bucket',
	'  --download-rate B        each /files download at most B bytes/s; suffixes k, M, G (10^3, 10^6, 10^9)',
	'                           and Ki, Mi, Gi, with an optional B: 50MB, 512KiB (default unlimited)',
].join('\n');
// Flags that take a value, and the settings key each sets.
const VALUE_FLAGS = {
	'--port': 'port',
	'--latency': 'latency',
	'--callback-retries': 'callback-retries',
	'--api-latency': 'api-latency',
	'--api-jitter': 'api-jitter',
	'--rate-limit': 'rate-limit',
	'--rate-limit-kind': 'rate-limit-kind',
	'--download-rate': 'download-rate',
};
const UNITS = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30 };

function fail(message) {
	console.error(`${message}\n${USAGE}`);
	process.exit(2);
}

/** '50MB' → 50000000, '512KiB' → 524288, '1000' → 1000; NaN when it does not parse. */
function parseBytes(text) {
	const match = /^(\d+(?:\.\d+)?)\s*(k|m|g|ki|mi|gi)?b?$/i.exec(text.trim());
	return match ? Number(match[1]) * UNITS[(match[2] ?? '').toLowerCase()] : NaN;
}

// A number of milliseconds ≥ 0, or the CLI fails naming `what`.
function milliseconds(text, what) {
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || value < 0) fail(`invalid ${what}: ${text}`);
	return value;
}

function parseArgs(argv, env) {
	const settings = {
		port: env.MAXAPI_EMULATOR_PORT ?? '0',
		latency: env.MAXAPI_EMULATOR_LATENCY_MS ?? '5000',
		'callback-retries': '5',
		'api-latency': '0',
		'api-jitter': '0',
		'rate-limit': undefined,
		'rate-limit-kind': 'token-bucket',
		'download-rate': undefined,
		rejectLocalCallbacks: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (Object.hasOwn(VALUE_FLAGS, arg)) {
			if (argv[i + 1] === undefined) fail(`${arg} needs a value`);
			settings[VALUE_FLAGS[arg]] = argv[++i];
		} else if (arg === '--reject-local-callbacks') settings.rejectLocalCallbacks = true;
		else if (arg === '--help' || arg === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else fail(`unknown argument: ${arg}`);
	}
	const port = Number(settings.port);
	const latencyMs = Number(settings.latency);
	if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${settings.port}`);
	if (!Number.isInteger(latencyMs) || latencyMs < 0) fail(`invalid latency: ${settings.latency}`);
	const callbackRetries = Number(settings['callback-retries']);
	if (!Number.isInteger(callbackRetries) || callbackRetries < 0)
		fail(`invalid callback retries: ${settings['callback-retries']}`);
	const apiLatencyMs = milliseconds(settings['api-latency'], 'API latency');
	const apiJitterMs = milliseconds(settings['api-jitter'], 'API jitter');
	let rateLimit = null;
	if (settings['rate-limit'] !== undefined) {
		rateLimit = Number(settings['rate-limit']);
		if (!Number.isFinite(rateLimit) || rateLimit <= 0)
			fail(`invalid rate limit: ${settings['rate-limit']}`);
	}
	const rateLimitKind = settings['rate-limit-kind'];
	if (!RATE_LIMIT_KINDS.includes(rateLimitKind)) fail(`invalid rate limit kind: ${rateLimitKind}`);
	let downloadBytesPerSecond = null;
	if (settings['download-rate'] !== undefined) {
		downloadBytesPerSecond = parseBytes(settings['download-rate']);
		if (!(downloadBytesPerSecond > 0)) fail(`invalid download rate: ${settings['download-rate']}`);
	}
	return {
		port,
		latencyMs,
		callbackRetries,
		rejectLocalCallbacks: settings.rejectLocalCallbacks,
		apiLatencyMs,
		apiJitterMs,
		rateLimit,
		rateLimitKind,
		downloadBytesPerSecond,
	};
}

/** The shaping line of the banner, e.g. 'API latency: 300 ± 100 ms; rate limit: 10 requests/s; downloads: 50000000 bytes/s'. */
function shapingLine(settings) {
	const rate =
		settings.rateLimit === null
			? 'none'
			: settings.rateLimitKind === 'in-flight'
				? `${settings.rateLimit} requests in flight`
				: `${settings.rateLimit} requests/s (${settings.rateLimitKind})`;
	const downloads =
		settings.downloadBytesPerSecond === null
			? 'unlimited'
			: `${settings.downloadBytesPerSecond} bytes/s`;
	return `API latency: ${settings.apiLatencyMs} ± ${settings.apiJitterMs} ms; rate limit: ${rate}; downloads: ${downloads}`;
}

async function main() {
	const settings = parseArgs(process.argv.slice(2), process.env);
	const emulator = createEmulator({ host: '127.0.0.1', ...settings });
	const { baseUrl } = await emulator.start();
	const shutdown = async (signal) => {
		await emulator.stop();
		console.log(`Emulator stopped (${signal}).`);
		// Nothing is left on the event loop, so the process now exits on its own with code 0.
	};
	// Registered before anything is printed, so a signal sent as soon as the banner appears is handled.
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);

	console.log(`MaxAPI emulator listening on ${baseUrl}`);
	console.log(`API key: ${emulator.apiKey}   (header "Authorization: Bearer ${emulator.apiKey}")`);
	const callbacks = settings.rejectLocalCallbacks ? 'rejected' : 'allowed';
	console.log(
		`Task latency: ${settings.latencyMs} ms; localhost callbacks ${callbacks}; callbacks retried ${settings.callbackRetries} times`,
	);
	console.log(shapingLine(settings));
	console.log(
		'Prompt keywords: mock:fail[=REASON] mock:timeout mock:latency=MS mock:never mock:moderation',
	);
	console.log(
		'Control (no auth): POST /__emulator/faults|options|finish|callback|release|reset, GET /__emulator/requests|callbacks|tasks',
	);
	console.log('Press Ctrl+C to stop.');
}

main().catch((err) => {
	console.error(`emulator failed to start: ${err.message}`);
	process.exit(1);
});
