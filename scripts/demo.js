#!/usr/bin/env node
// `npm run demo`: starts the local MaxAPI emulator, runs examples/submit-and-get.json through n8n's
// workflow engine (n8n-core, in this process) with a credential pointing at the emulator, and shows the result.
require('./register-ts');
require('../test/harness/env');

const { createEmulator } = require('../test/emulator/server');
const { runWorkflow } = require('../test/harness/n8n');
const example = require('../examples/submit-and-get.json');

async function main() {
	// Tasks finish at once here; real ones take from 10 seconds to hours.
	const emulator = createEmulator({ latencyMs: 0 });
	await emulator.start();
	console.log(`MaxAPI emulator on ${emulator.baseUrl} (API key: ${emulator.apiKey})`);
	console.log(`Running "${example.name}" through n8n-core…\n`);
	try {
		const result = await runWorkflow(example, {
			credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
		});
		if (result.status !== 'success') {
			console.error(`The workflow ended with status ${result.status}: ${result.error?.message}`);
			process.exitCode = 1;
			return;
		}
		const submitted = result.output('Submit video task')[0].json;
		const task = result.output('Get task')[0].json;
		console.log('Submit video task →', JSON.stringify({ taskId: submitted.taskId, generationMode: submitted.generationMode, request: submitted.request }, null, 2));
		console.log('\nGet task →', JSON.stringify(task, null, 2));

		const video = await fetch(task.resultUrl);
		const bytes = Buffer.from(await video.arrayBuffer());
		const looksLikeMp4 = bytes.subarray(4, 8).toString('latin1') === 'ftyp';
		console.log(`\nResult file: ${video.headers.get('content-type')}, ${bytes.length} bytes${looksLikeMp4 ? ', a playable MP4' : ''}`);
		console.log(`\nThe emulator saw: ${emulator.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
		console.log('\nNext: import examples/submit-and-get.json into n8n, or run `npm run emulator` and point a MaxAPI credential at it.');
	} finally {
		await emulator.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
