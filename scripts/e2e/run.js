#!/usr/bin/env node
// `npm run test:e2e`: the packed package in a real n8n 2.41 (cached install), against the emulator, on
// 127.0.0.1 free ports with a fresh user folder. Each check prints ok / not ok; the last line counts them.
// `npm run test:e2e -- --queue` runs the queue-mode suite instead (scripts/e2e/queue.js).
if (process.argv.includes('--queue')) {
	require('./queue');
	return;
}
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createEmulator } = require('../../test/emulator/server');
const { N8n, installN8n, installPackage, freePort, log, ROOT } = require('./n8n');
const { Checks, assert, outputOf, webhookWorkflow, maxApiNode } = require('./suite');
const callbackChecks = require('./callbackChecks');

const example = (name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
const suite = new Checks('e2e');

async function main() {
	log(`[e2e] installing n8n (cached after the first run)…`);
	const { nodeHome, n8nBin } = installN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'maxapi-e2e-'));
	log(`[e2e] packing the package into ${userFolder} (${suite.elapsed()})`);
	// MAXAPI_E2E_TARBALL: check another build (e.g. a release, or an older commit for a before/after).
	installPackage(userFolder, process.env.MAXAPI_E2E_TARBALL || undefined);

	const emulator = createEmulator({ latencyMs: 1500, callbackRetryDelayMs: 300 });
	await emulator.start();
	const n8n = new N8n({ nodeHome, n8nBin, userFolder, port: await freePort(), brokerPort: await freePort(), encryptionKey: 'maxapi-e2e-key' });
	const stopAll = async () => {
		await n8n.stop();
		await emulator.stop();
		if (!process.env.MAXAPI_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
	process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

	try {
		log(`[e2e] starting n8n on ${n8n.baseUrl}, emulator on ${emulator.baseUrl} (${suite.elapsed()})`);
		await n8n.start();
		await n8n.signIn();
		const credential = await n8n.createCredential({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
		log(`[e2e] n8n ready (${suite.elapsed()})`);
		const ctx = { n8n, webhookBase: n8n.baseUrl, emulator, credential, workers: [] };
		const check = suite.check.bind(suite);

		await check('n8n lists the credential, MaxApi and MaxApi Trigger under their real names, with their icons', async () => {
			const nodes = await (await fetch(`${n8n.baseUrl}/types/nodes.json`, { headers: { cookie: n8n.cookie } })).json();
			const credentials = await (await fetch(`${n8n.baseUrl}/types/credentials.json`, { headers: { cookie: n8n.cookie } })).json();
			const found = [
				nodes.find((node) => node.name === 'n8n-nodes-maxapi.maxApi' && node.displayName === 'MaxApi'),
				nodes.find((node) => node.name === 'n8n-nodes-maxapi.maxApiTrigger' && node.displayName === 'MaxApi Trigger'),
				credentials.find((type) => type.name === 'maxApiApi' && type.displayName === 'MaxAPI API'),
			];
			assert(found.every(Boolean), `missing: ${JSON.stringify(found.map((entry) => entry?.name ?? null))}`);
			for (const entry of found) {
				const response = await fetch(`${n8n.baseUrl}/${entry.iconUrl.light}`);
				const body = await response.text();
				assert(response.ok && body.includes('<svg'), `icon ${entry.iconUrl.light} answered ${response.status}`);
			}
		});

		await check('the credential test passes with the emulator\'s key and fails with a wrong one', async () => {
			const test = async (apiKey) =>
				await n8n.rest('POST', '/credentials/test', {
					credentials: { id: credential.id, name: credential.name, type: 'maxApiApi', data: { apiKey, baseUrl: emulator.baseUrl } },
				});
			const good = await test(emulator.apiKey);
			assert(good.status === 'OK', `good key: ${JSON.stringify(good)}`);
			const bad = await test('not-the-key');
			assert(bad.status === 'Error' && bad.message === 'The API key was refused (401 unauthorized)', `wrong key: ${JSON.stringify(bad)}`);
			assert(emulator.tasks.size === 0, 'the test created a task');
		});

		await check('examples/submit-and-get.json imports and runs', async () => {
			const workflow = await n8n.createWorkflow(example('submit-and-get.json'), credential);
			const run = await n8n.runByCli(workflow.id);
			assert(run.status === 'success', `status ${run.status}: ${run.data?.resultData?.error?.message}`);
			const submitted = outputOf(run, 'Submit video task')[0].json;
			const task = outputOf(run, 'Get task')[0].json;
			assert(task.taskId === submitted.taskId && typeof task.status === 'string', JSON.stringify(task));
		});

		await check('examples/poll-several-items.json: Submit + Poll with several items, outputs in item order, binary present', async () => {
			emulator.reset();
			const workflow = await n8n.createWorkflow(example('poll-several-items.json'), credential);
			const run = await n8n.runByCli(workflow.id);
			assert(run.status === 'success', `status ${run.status}: ${run.data?.resultData?.error?.message}`);
			const output = outputOf(run, 'Make images');
			const prompts = output.map((item) => item.json.input?.prompt);
			assert(output.length === 3 && output.every((item) => item.json.status === 'SUCCESS'), JSON.stringify(output.map((item) => item.json.status)));
			assert(prompts[0].includes('storm') && prompts[1].includes('noon') && prompts[2].includes('night'), `order: ${prompts}`);
			assert(output.every((item) => item.binary?.data?.mimeType === 'image/png'), 'binary data missing');
		});

		await check('examples/generate-and-wait.json imports and runs, with the video as binary data', async () => {
			const workflow = await n8n.createWorkflow(example('generate-and-wait.json'), credential);
			const run = await n8n.runByCli(workflow.id);
			assert(run.status === 'success', `status ${run.status}: ${run.data?.resultData?.error?.message}`);
			const [video] = outputOf(run, 'Make video');
			assert(video.json.status === 'SUCCESS' && video.binary?.data?.mimeType === 'video/mp4', JSON.stringify(video.json));
		});

		await callbackChecks.checkResume(ctx, check);
		await callbackChecks.checkEarlyCallback(ctx, check);
		await callbackChecks.checkTrigger(ctx, check);
		await callbackChecks.checkOverlappingCopies(ctx, check, { copies: 20 });
		await callbackChecks.checkOverlappingCopies(ctx, check, { copies: 20, downloadResults: true });

		await check('bad input (@3 with two images) fails the execution with our message, and nothing is submitted', async () => {
			emulator.reset();
			const workflow = webhookWorkflow('e2e bad input', 'maxapi-e2e-bad-input', [
				maxApiNode('Make video', {
					prompt: 'Blend @1 and @3',
					mediaUrls: 'https://cdn.example.com/a.png, https://cdn.example.com/b.png',
					waitForCompletion: 'poll',
				}),
			]);
			const created = await callbackChecks.startByWebhook(ctx, workflow, 'maxapi-e2e-bad-input');
			const failed = await callbackChecks.endedExecutions(ctx, created.id, 1);
			const error = failed[0].data.resultData.error;
			assert(error.message === 'Prompt: The prompt refers to @3, but Media URLs has 2 items', `message: ${error.message}`);
			assert(emulator.submitCount() === 0, `${emulator.submitCount()} submits reached the emulator`);
		});

		await callbackChecks.checkTimeLimit(ctx, check);
	} finally {
		await stopAll();
	}
	log(`[e2e] total ${suite.elapsed()}`);
	suite.finish();
}

main().catch((error) => Checks.crashed('e2e', error));
