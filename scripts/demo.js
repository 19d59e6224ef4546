#!/usr/bin/env node
// `npm run demo`: starts the local MaxAPI emulator, runs examples/generate-and-wait.json through n8n's
// workflow engine (n8n-core, in this process) with a credential pointing at the emulator, and shows the result.
require('./register-ts');
require('../test/harness/env');

const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const { createEmulator } = require('../test/emulator/server');
const { runWorkflow } = require('../test/harness/n8n');
const example = require('../examples/generate-and-wait.json');

async function main() {
	// The emulator's tasks take 3 s; real ones take from 10 seconds to hours.
	const emulator = createEmulator({ latencyMs: 3000 });
	await emulator.start();
	console.log(`MaxAPI emulator on ${emulator.baseUrl} (API key: ${emulator.apiKey})`);
	console.log(
		`Running "${example.name}" through n8n-core; the node polls until the video is ready…\n`,
	);
	const started = Date.now();
	try {
		const result = await runWorkflow(example, {
			credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
		});
		if (result.status !== 'success') {
			console.error(`The workflow ended with status ${result.status}: ${result.error?.message}`);
			process.exitCode = 1;
			return;
		}
		const [video] = result.output('Make video');
		console.log(
			`Make video → (after ${((Date.now() - started) / 1000).toFixed(1)} s)`,
			JSON.stringify(video.json, null, 2),
		);

		const file = video.binary.data;
		const bytes = Buffer.from(file.data, 'base64');
		const saved = join(tmpdir(), file.fileName);
		writeFileSync(saved, bytes);
		const isMp4 = bytes.subarray(4, 8).toString('latin1') === 'ftyp';
		console.log(
			`\nBinary "data": ${file.fileName}, ${file.mimeType}, ${bytes.length} bytes${isMp4 ? ' (a playable MP4)' : ''}; saved to ${saved}`,
		);
		const statuses = emulator.requests.map((r) =>
			r.route === 'get' ? 'GET' : r.route.toUpperCase(),
		);
		console.log(`The emulator saw: ${statuses.join(', ')}`);
		console.log(
			'\nNext: import examples/*.json into n8n, or run `npm run emulator` and point a MaxAPI credential at it.',
		);
	} finally {
		await emulator.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
