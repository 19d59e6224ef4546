#!/usr/bin/env node
'use strict';
// Runs the local MaxAPI emulator until Ctrl+C / SIGTERM. See test/emulator/README.md.
//   node scripts/emulator.js [--port N] [--latency MS] [--callback-retries N] [--reject-local-callbacks]
// Environment: MAXAPI_EMULATOR_PORT, MAXAPI_EMULATOR_LATENCY_MS (command-line flags win).
const { createEmulator } = require('../test/emulator/server');

const USAGE =
	'usage: node scripts/emulator.js [--port N] [--latency MS] [--callback-retries N] [--reject-local-callbacks]';

function fail(message) {
	console.error(`${message}\n${USAGE}`);
	process.exit(2);
}

function parseArgs(argv, env) {
	const settings = {
		port: env.MAXAPI_EMULATOR_PORT ?? '0',
		latency: env.MAXAPI_EMULATOR_LATENCY_MS ?? '5000',
		'callback-retries': '5',
		rejectLocalCallbacks: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--port' || arg === '--latency' || arg === '--callback-retries') {
			if (argv[i + 1] === undefined) fail(`${arg} needs a value`);
			settings[arg.slice(2)] = argv[++i];
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
	return { port, latencyMs, callbackRetries, rejectLocalCallbacks: settings.rejectLocalCallbacks };
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
