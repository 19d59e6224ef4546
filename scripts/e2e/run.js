#!/usr/bin/env node
// `npm run test:e2e`: the packed package in a real n8n 2.41 (cached install), against the emulator, on
// 127.0.0.1 free ports with a fresh user folder. Each check prints ok / not ok; the last line counts them.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const { createEmulator } = require('../../test/emulator/server');
const { N8n, installN8n, installPackage, freePort, waitUntil, log, ROOT } = require('./n8n');

const example = (name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
const SECRET = 'e2e-secret-0123456789abcdef';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

function outputOf(run, nodeName) {
	const runs = run.data.resultData.runData[nodeName];
	assert(runs && runs.length > 0, `node "${nodeName}" did not run`);
	return runs[runs.length - 1].data.main[0];
}

function webhookWorkflow(name, pathName, nodes, connections) {
	const trigger = {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'onReceived', options: {} },
	};
	return { name, nodes: [trigger, ...nodes], connections: { Webhook: { main: [[{ node: nodes[0].name, type: 'main', index: 0 }]] }, ...connections } };
}

function codeNode(name, items) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
	};
}

function maxApiNode(name, parameters) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-maxapi.maxApi',
		typeVersion: 1,
		position: [440, 0],
		parameters: { resource: 'task', operation: 'submit', family: 'seedance', model: 'seedance-2.0', options: {}, ...parameters },
		credentials: { maxApiApi: { id: 'x', name: 'x' } },
	};
}

async function main() {
	log(`[e2e] installing n8n (cached after the first run)…`);
	const { nodeHome, n8nBin } = installN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'maxapi-e2e-'));
	log(`[e2e] packing the package into ${userFolder} (${elapsed()})`);
	installPackage(userFolder);

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

	const results = [];
	try {
		log(`[e2e] starting n8n on ${n8n.baseUrl}, emulator on ${emulator.baseUrl} (${elapsed()})`);
		await n8n.start();
		await n8n.signIn();
		const credential = await n8n.createCredential({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
		log(`[e2e] n8n ready (${elapsed()})`);

		/** Imports and activates a workflow that starts with a Webhook node, then starts it once. */
		const startByWebhook = async (workflow, pathName) => {
			const created = await n8n.createWorkflow(workflow, credential);
			await n8n.activate(created.id);
			// Webhooks register a moment after activation: POST until the route answers.
			await waitUntil(async () => (await fetch(`${n8n.baseUrl}/webhook/${pathName}`, { method: 'POST' })).ok, { timeoutMs: 10_000, what: 'the webhook' });
			return created;
		};

		const check = async (name, fn) => {
			const t0 = Date.now();
			try {
				await fn();
				results.push(true);
				console.log(`ok - ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
			} catch (error) {
				results.push(false);
				console.log(`not ok - ${name}: ${error.message}`);
			}
		};

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

		await check('Callback (resume): the execution parks, callbacks resume it once when all tasks are done; forged calls do not', async () => {
			emulator.reset();
			const workflow = webhookWorkflow(
				'e2e callback resume',
				'maxapi-e2e-resume',
				[
					codeNode('Prompts', [{ prompt: 'first mock:latency=3000' }, { prompt: 'second mock:latency=5000' }]),
					maxApiNode('Make videos', { prompt: '={{ $json.prompt }}', waitForCompletion: 'callback', timeLimitMinutes: 10 }),
				],
				{ Prompts: { main: [[{ node: 'Make videos', type: 'main', index: 0 }]] } },
			);
			const created = await startByWebhook(workflow, 'maxapi-e2e-resume');
			const parked = await waitUntil(async () => (await n8n.executions(created.id, 'waiting'))[0], { timeoutMs: 15_000, what: 'a waiting execution' });
			const resumeUrl = [...emulator.tasks.values()][0].callBackUrl;
			assert(resumeUrl.includes(`/webhook-waiting/${parked.id}?signature=`), `callBackUrl ${resumeUrl}`);

			const forged = await fetch(resumeUrl.replace(/signature=\w+/, `signature=${'0'.repeat(64)}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":0,"data":{"taskId":"x","status":"SUCCESS"}}' });
			assert(forged.status === 401, `wrong token answered ${forged.status}`);
			const stray = await fetch(resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":0,"data":{"taskId":"not-ours","status":"SUCCESS"}}' });
			assert(stray.status === 404, `stray task answered ${stray.status}`);
			assert((await n8n.execution(parked.id)).status === 'waiting', 'a forged call changed the execution');

			const done = await waitUntil(async () => {
				const execution = await n8n.execution(parked.id);
				return ['success', 'error'].includes(execution.status) && execution;
			}, { timeoutMs: 30_000, what: 'the execution to resume' });
			assert(done.status === 'success', `status ${done.status}`);
			const output = outputOf(done, 'Make videos');
			assert(output.length === 2 && output.every((item) => item.json.status === 'SUCCESS'), JSON.stringify(output.map((item) => item.json)));
			assert(output[0].json.input.prompt.startsWith('first') && output[1].json.input.prompt.startsWith('second'), 'items out of order');
			const again = await fetch(resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 0, data: emulator.getTask([...emulator.tasks.keys()][0]) }) });
			assert(again.status === 409, `a duplicate after resuming answered ${again.status}`);
		});

		await check('Callback (resume) time limit: n8n ends the wait and the items say which tasks did not finish', async () => {
			emulator.reset();
			const workflow = webhookWorkflow(
				'e2e callback time limit',
				'maxapi-e2e-time-limit',
				[
					codeNode('Prompts', [{ prompt: 'quick mock:latency=0' }, { prompt: 'stuck mock:never' }]),
					maxApiNode('Make videos', { prompt: '={{ $json.prompt }}', waitForCompletion: 'callback', timeLimitMinutes: 1 }),
				],
				{ Prompts: { main: [[{ node: 'Make videos', type: 'main', index: 0 }]] } },
			);
			const created = await startByWebhook(workflow, 'maxapi-e2e-time-limit');
			const parked = await waitUntil(async () => (await n8n.executions(created.id, 'waiting'))[0], { timeoutMs: 15_000, what: 'a waiting execution' });
			// n8n looks at waiting executions once a minute, so the 1-minute limit ends within about two.
			const done = await waitUntil(async () => {
				const execution = await n8n.execution(parked.id);
				return execution.status !== 'waiting' && execution.status !== 'running' && execution;
			}, { timeoutMs: 180_000, intervalMs: 2000, what: 'the time limit to pass' });
			assert(done.status === 'success', `status ${done.status}`);
			const [quick, stuck] = outputOf(done, 'Make videos').map((item) => item.json);
			assert(quick.status === 'SUCCESS' && quick.timedOut === undefined, `quick: ${JSON.stringify(quick)}`);
			assert(stuck.finished === false && stuck.timedOut === true && typeof stuck.taskId === 'string', `stuck: ${JSON.stringify(stuck)}`);
		});

		await check('MaxApi Trigger: one execution per finished task; wrong secret, malformed body and duplicate start none', async () => {
			emulator.reset();
			const webhookId = randomUUID();
			const workflow = {
				name: 'e2e trigger',
				nodes: [{ id: randomUUID(), name: 'MaxApi Trigger', type: 'n8n-nodes-maxapi.maxApiTrigger', typeVersion: 1, position: [0, 0], webhookId, parameters: { secret: SECRET }, credentials: { maxApiApi: { id: 'x', name: 'x' } } }],
				connections: {},
			};
			const created = await n8n.createWorkflow(workflow, credential);
			await n8n.activate(created.id);
			const url = `${n8n.baseUrl}/webhook/${webhookId}/callback`;
			const post = async (query, body, type = 'application/json') =>
				(await fetch(`${url}${query}`, { method: 'POST', headers: { 'content-type': type }, body })).status;
			await waitUntil(async () => (await post('', '{}')) === 403, { timeoutMs: 10_000, what: 'the trigger webhook' });

			for (const prompt of ['one mock:latency=500', 'two mock:latency=800']) {
				const response = await fetch(`${emulator.baseUrl}/api/v1/task/submit`, {
					method: 'POST',
					headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
					body: JSON.stringify({ model: 'seedance-2.0', input: { prompt }, callBackUrl: `${url}?secret=${SECRET}` }),
				});
				assert(response.ok, `submit answered ${response.status}`);
			}
			const executions = await waitUntil(async () => {
				const list = await n8n.executions(created.id);
				return list.length >= 2 && list.every((execution) => execution.status === 'success') && list;
			}, { timeoutMs: 20_000, what: 'two trigger executions' });
			const taskIds = executions.map((execution) => outputOf(execution, 'MaxApi Trigger')[0].json.taskId).sort();
			assert(JSON.stringify(taskIds) === JSON.stringify([...emulator.tasks.keys()].sort()), `tasks ${taskIds}`);

			const envelope = JSON.stringify({ code: 0, msg: 'ok', data: emulator.getTask(taskIds[0]) });
			assert((await post('?secret=wrong', envelope)) === 403, 'wrong secret was not refused');
			assert((await post(`?secret=${SECRET}`, '{"code":0,"data":{"taskId":"abc"}}')) === 400, 'malformed body was not refused');
			assert((await post(`?secret=${SECRET}`, envelope)) === 200, 'duplicate was not acknowledged');
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const after = await n8n.executions(created.id);
			assert(after.length === 2, `${after.length} executions after the refused calls`);
		});

		await check('bad input (@3 with two images) fails the execution with our message, and nothing is submitted', async () => {
			emulator.reset();
			const workflow = webhookWorkflow('e2e bad input', 'maxapi-e2e-bad-input', [
				maxApiNode('Make video', {
					prompt: 'Blend @1 and @3',
					mediaUrls: 'https://cdn.example.com/a.png, https://cdn.example.com/b.png',
					waitForCompletion: 'poll',
				}),
			]);
			const created = await startByWebhook(workflow, 'maxapi-e2e-bad-input');
			const failed = await waitUntil(async () => (await n8n.executions(created.id, 'error'))[0], { timeoutMs: 15_000, what: 'a failed execution' });
			const error = failed.data.resultData.error;
			assert(error.message === 'Prompt: The prompt refers to @3, but Media URLs has 2 items', `message: ${error.message}`);
			assert(emulator.submitCount() === 0, `${emulator.submitCount()} submits reached the emulator`);
		});
	} finally {
		await stopAll();
	}
	const passed = results.filter(Boolean).length;
	log(`[e2e] total ${elapsed()}`);
	console.log(`\ne2e: ${passed} passed, ${results.length - passed} failed`);
	process.exitCode = passed === results.length && results.length > 0 ? 0 : 1;
}

main().catch((error) => {
	console.error(error);
	console.log('\ne2e: 0 passed, 1 failed');
	process.exitCode = 1;
});
