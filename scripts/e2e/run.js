#!/usr/bin/env node
// `npm run test:e2e`: the packed package in a real n8n (2.41.1, or `-- --n8n <version>`; cached install), against the emulator, on
// 127.0.0.1 free ports with a fresh user folder. One node:test test per behaviour, one after another (they share
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
const { n8nVersion } = require('./install');
const { oneN8n } = require('./n8n');
const { ChildProcesses } = require('./processes');
const {
	ROOT,
	log,
	secondsSince,
	outputOf,
	sharedStep,
	webhookWorkflow,
	maxApiNode,
} = require('./suite');
const callbackChecks = require('./callbackChecks');
const referenceChecks = require('./referenceChecks');
const { startByWebhook, endedExecutions } = require('./executions');
const { checkTemplates } = require('./templateChecks');

const example = (name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
const started = Date.now();
const children = new ChildProcesses(); // n8n and its `n8n execute` runs
const emulator = createEmulator({ latencyMs: 1500, callbackRetryDelayMs: 300 });
// n8n, webhookBase and credential are filled in by before(); the tests read them when they run.
const ctx = { emulator, workers: [], queueMode: false };
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

	const listedTypes = sharedStep(async () => {
		const { n8n } = ctx;
		const read = async (route) =>
			await (await fetch(`${n8n.baseUrl}/${route}`, { headers: { cookie: n8n.cookie } })).json();
		const nodes = await read('types/nodes.json');
		const credentials = await read('types/credentials.json');
		return [
			nodes.find(
				(node) => node.name === 'n8n-nodes-maxapi.maxApi' && node.displayName === 'MaxApi',
			),
			nodes.find(
				(node) =>
					node.name === 'n8n-nodes-maxapi.maxApiTrigger' && node.displayName === 'MaxApi Trigger',
			),
			credentials.find((type) => type.name === 'maxApiApi' && type.displayName === 'MaxAPI API'),
		];
	});

	test('n8n lists the credential, MaxApi and MaxApi Trigger under their real names', async () => {
		const found = await listedTypes();
		assert(
			found.every(Boolean),
			`missing: ${JSON.stringify(found.map((entry) => entry?.name ?? null))}`,
		);
	});

	test('n8n serves the icons of the credential, MaxApi and MaxApi Trigger', async () => {
		for (const entry of (await listedTypes()).filter(Boolean)) {
			const response = await fetch(`${ctx.n8n.baseUrl}/${entry.iconUrl.light}`);
			const body = await response.text();
			assert(
				response.ok && body.includes('<svg'),
				`icon ${entry.iconUrl.light} answered ${response.status}`,
			);
		}
	});

	const credentialTests = sharedStep(async () => {
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
		const bad = await tryKey('not-the-key');
		return { good, bad, tasks: emulator.tasks.size };
	});

	test("the credential test passes with the emulator's key", async () => {
		const { good } = await credentialTests();
		assert(good.status === 'OK', `good key: ${JSON.stringify(good)}`);
	});

	test('the credential test fails with a wrong key, saying the key was refused', async () => {
		const { bad } = await credentialTests();
		assert(
			bad.status === 'Error' && bad.message === 'The API key was refused (401 unauthorized)',
			`wrong key: ${JSON.stringify(bad)}`,
		);
	});

	test('the credential test creates no task', async () => {
		const { tasks } = await credentialTests();
		assert(tasks === 0, `the test created ${tasks} tasks`);
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

	/** Imports an example and runs it as `n8n execute` does; the run, once per example. */
	const exampleRun = (file, { resetEmulator = false } = {}) =>
		sharedStep(async () => {
			const { n8n, credential } = ctx;
			if (resetEmulator) emulator.reset();
			const workflow = await n8n.createWorkflow(example(file), credential);
			return await n8n.runByCli(workflow.id);
		});
	const assertSucceeded = (run) =>
		assert(
			run.status === 'success',
			`status ${run.status}: ${run.data?.resultData?.error?.message}`,
		);

	const pollSeveral = exampleRun('poll-several-items.json', { resetEmulator: true });

	test('examples/poll-several-items.json imports and runs, Submit + Poll finishing every item', async () => {
		const run = await pollSeveral();
		assertSucceeded(run);
		const output = outputOf(run, 'Make images');
		assert(
			output.length === 3 && output.every((item) => item.json.status === 'SUCCESS'),
			JSON.stringify(output.map((item) => item.json.status)),
		);
	});

	test('examples/poll-several-items.json: the outputs come in item order', async () => {
		const prompts = outputOf(await pollSeveral(), 'Make images').map(
			(item) => item.json.input?.prompt,
		);
		assert(
			prompts[0].includes('storm') && prompts[1].includes('noon') && prompts[2].includes('night'),
			`order: ${prompts}`,
		);
	});

	test('examples/poll-several-items.json: each item carries its image as binary data', async () => {
		const output = outputOf(await pollSeveral(), 'Make images');
		assert(
			output.every((item) => item.binary?.data?.mimeType === 'image/png'),
			'binary data missing',
		);
	});

	const generateAndWait = exampleRun('generate-and-wait.json');

	test('examples/generate-and-wait.json imports and runs, the video finished', async () => {
		const run = await generateAndWait();
		assertSucceeded(run);
		const [video] = outputOf(run, 'Make video');
		assert(video.json.status === 'SUCCESS', JSON.stringify(video.json));
	});

	test('examples/generate-and-wait.json: the video comes as binary data', async () => {
		const [video] = outputOf(await generateAndWait(), 'Make video');
		assert(video.binary?.data?.mimeType === 'video/mp4', JSON.stringify(video.json));
	});

	callbackChecks.checkResume(ctx);
	callbackChecks.checkEarlyCallback(ctx);
	callbackChecks.checkTrigger(ctx);
	referenceChecks.checkReference(ctx);
	callbackChecks.checkOverlappingCopies(ctx, { copies: 20 });
	callbackChecks.checkOverlappingCopies(ctx, { copies: 20, downloadResults: true });

	const badInput = sharedStep(async () => {
		emulator.reset();
		const workflow = webhookWorkflow('e2e bad input', 'maxapi-e2e-bad-input', [
			maxApiNode('Make video', {
				prompt: 'Blend @1 and @3',
				mediaUrls: 'https://cdn.example.com/a.png, https://cdn.example.com/b.png',
				waitForCompletion: 'poll',
			}),
		]);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-bad-input');
		return await endedExecutions(ctx, created.id, 1);
	});

	test("bad input (@3 with two images) fails the execution with the node's message", async () => {
		const [failed] = await badInput();
		const error = failed.data.resultData.error;
		assert(
			error.message === 'Prompt: The prompt refers to @3, but Media URLs has 2 items',
			`message: ${error.message}`,
		);
	});

	test('bad input (@3 with two images) submits nothing', async () => {
		await badInput();
		assert(emulator.submitCount() === 0, `${emulator.submitCount()} submits reached the emulator`);
	});

	checkTemplates(ctx);
	callbackChecks.checkRestart(ctx);
	callbackChecks.checkTimeLimit(ctx);
});
