#!/usr/bin/env node
// `npm run test:e2e`: the packed package in a real n8n (2.41.1, or `-- --n8n <version>`; cached install), against the emulator, on
// 127.0.0.1 free ports with a fresh user folder. One node:test test per check, one after another (they share
// this n8n and emulator); the script's --test-reporter (reporter.js) prints ok / not ok and the last line.
// `npm run test:e2e -- --queue` runs the queue-mode suite instead (scripts/e2e/queue.js).
if (process.argv.includes('--queue')) {
	require('./queue');
	return;
}
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { describe, test, before, after } = require('node:test');

const { createEmulator } = require('../../test/emulator/server');
const { ChildProcesses, oneN8n, n8nVersion, log, ROOT } = require('./n8n');
const { secondsSince, outputOf, webhookWorkflow, maxApiNode } = require('./suite');
const callbackChecks = require('./callbackChecks');
const { checkTemplates } = require('./templateChecks');

const example = (name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
const started = Date.now();
const children = new ChildProcesses(); // n8n and its `n8n execute` runs
const emulator = createEmulator({ latencyMs: 1500, callbackRetryDelayMs: 300 });
// n8n, webhookBase and credential are filled in by before(); the tests read them when they run.
const ctx = { emulator, workers: [] };
let removeUserFolder = () => {};

async function stopAll() {
	await children.stopAll();
	await emulator.stop();
	if (!process.env.MAXAPI_E2E_KEEP) removeUserFolder();
}
// after() does not run when the suite is interrupted.
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

describe('e2e', () => {
	before(async () => {
		log(`[e2e] installing n8n ${n8nVersion()} (cached after the first run)…`);
		// MAXAPI_E2E_TARBALL: check another build (e.g. a release, or an older commit for a before/after).
		const one = await oneN8n('e2e', { children });
		removeUserFolder = one.remove;
		log(`[e2e] packed the package into ${one.userFolder} (${secondsSince(started)})`);
		await emulator.start();
		const { n8n } = one;
		Object.assign(ctx, {
			n8n,
			webhookBase: n8n.baseUrl,
			down: async () => await n8n.stop(),
			up: async () => await n8n.start(),
		});
		log(
			`[e2e] starting n8n on ${n8n.baseUrl}, emulator on ${emulator.baseUrl} (${secondsSince(started)})`,
		);
		ctx.credential = await n8n.startWithEmulatorCredential(emulator);
		log(`[e2e] n8n ready (${secondsSince(started)})`);
	});

	// Also runs when before() or a test failed.
	after(async () => {
		await stopAll();
		log(`[e2e] total ${secondsSince(started)}`);
	});

	test('n8n lists the credential, MaxApi and MaxApi Trigger under their real names, with their icons', async () => {
		const { n8n } = ctx;
		const nodes = await (
			await fetch(`${n8n.baseUrl}/types/nodes.json`, { headers: { cookie: n8n.cookie } })
		).json();
		const credentials = await (
			await fetch(`${n8n.baseUrl}/types/credentials.json`, { headers: { cookie: n8n.cookie } })
		).json();
		const found = [
			nodes.find(
				(node) => node.name === 'n8n-nodes-maxapi.maxApi' && node.displayName === 'MaxApi',
			),
			nodes.find(
				(node) =>
					node.name === 'n8n-nodes-maxapi.maxApiTrigger' && node.displayName === 'MaxApi Trigger',
			),
			credentials.find((type) => type.name === 'maxApiApi' && type.displayName === 'MaxAPI API'),
		];
		assert(
			found.every(Boolean),
			`missing: ${JSON.stringify(found.map((entry) => entry?.name ?? null))}`,
		);
		for (const entry of found) {
			const response = await fetch(`${n8n.baseUrl}/${entry.iconUrl.light}`);
			const body = await response.text();
			assert(
				response.ok && body.includes('<svg'),
				`icon ${entry.iconUrl.light} answered ${response.status}`,
			);
		}
	});

	test("the credential test passes with the emulator's key and fails with a wrong one", async () => {
		const { n8n, credential } = ctx;
		const tryKey = async (apiKey) =>
			await n8n.rest('POST', '/credentials/test', {
				credentials: {
					id: credential.id,
					name: credential.name,
					type: 'maxApiApi',
					data: { apiKey, baseUrl: emulator.baseUrl },
				},
			});
		const good = await tryKey(emulator.apiKey);
		assert(good.status === 'OK', `good key: ${JSON.stringify(good)}`);
		const bad = await tryKey('not-the-key');
		assert(
			bad.status === 'Error' && bad.message === 'The API key was refused (401 unauthorized)',
			`wrong key: ${JSON.stringify(bad)}`,
		);
		assert(emulator.tasks.size === 0, 'the test created a task');
	});

	test('examples/submit-and-get.json imports and runs', async () => {
		const { n8n, credential } = ctx;
		const workflow = await n8n.createWorkflow(example('submit-and-get.json'), credential);
		const run = await n8n.runByCli(workflow.id);
		assert(
			run.status === 'success',
			`status ${run.status}: ${run.data?.resultData?.error?.message}`,
		);
		const submitted = outputOf(run, 'Submit video task')[0].json;
		const task = outputOf(run, 'Get task')[0].json;
		assert(
			task.taskId === submitted.taskId && typeof task.status === 'string',
			JSON.stringify(task),
		);
	});

	test('examples/poll-several-items.json: Submit + Poll with several items, outputs in item order, binary present', async () => {
		const { n8n, credential } = ctx;
		emulator.reset();
		const workflow = await n8n.createWorkflow(example('poll-several-items.json'), credential);
		const run = await n8n.runByCli(workflow.id);
		assert(
			run.status === 'success',
			`status ${run.status}: ${run.data?.resultData?.error?.message}`,
		);
		const output = outputOf(run, 'Make images');
		const prompts = output.map((item) => item.json.input?.prompt);
		assert(
			output.length === 3 && output.every((item) => item.json.status === 'SUCCESS'),
			JSON.stringify(output.map((item) => item.json.status)),
		);
		assert(
			prompts[0].includes('storm') && prompts[1].includes('noon') && prompts[2].includes('night'),
			`order: ${prompts}`,
		);
		assert(
			output.every((item) => item.binary?.data?.mimeType === 'image/png'),
			'binary data missing',
		);
	});

	test('examples/generate-and-wait.json imports and runs, with the video as binary data', async () => {
		const { n8n, credential } = ctx;
		const workflow = await n8n.createWorkflow(example('generate-and-wait.json'), credential);
		const run = await n8n.runByCli(workflow.id);
		assert(
			run.status === 'success',
			`status ${run.status}: ${run.data?.resultData?.error?.message}`,
		);
		const [video] = outputOf(run, 'Make video');
		assert(
			video.json.status === 'SUCCESS' && video.binary?.data?.mimeType === 'video/mp4',
			JSON.stringify(video.json),
		);
	});

	callbackChecks.checkResume(ctx);
	callbackChecks.checkEarlyCallback(ctx);
	callbackChecks.checkTrigger(ctx);
	callbackChecks.checkOverlappingCopies(ctx, { copies: 20 });
	callbackChecks.checkOverlappingCopies(ctx, { copies: 20, downloadResults: true });

	test('bad input (@3 with two images) fails the execution with our message, and nothing is submitted', async () => {
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
		assert(
			error.message === 'Prompt: The prompt refers to @3, but Media URLs has 2 items',
			`message: ${error.message}`,
		);
		assert(emulator.submitCount() === 0, `${emulator.submitCount()} submits reached the emulator`);
	});

	checkTemplates(ctx);
	callbackChecks.checkRestart(ctx);
	callbackChecks.checkTimeLimit(ctx);
});
