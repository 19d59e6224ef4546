// `npm run test:e2e -- --queue [--n8n <version>]`: the packed package in n8n's queue mode, as users run it to scale: a main
// process (editor, API, timers), two workers (run executions), one webhook process (answers /webhook/ and
// /webhook-waiting/, where WEBHOOK_URL points), PostgreSQL and Redis. before() starts everything on free
// 127.0.0.1 ports, after() stops it, also on failure; Ctrl-C too. One node:test test per behaviour, one after
// another; reporter.js prints ok / not ok and the last line.
const assert = require('node:assert');
const { describe, test, before, after } = require('node:test');

const { createEmulator } = require('../../test/emulator/server');
const { startQueueN8n } = require('./queueN8n');
const callbackChecks = require('./callbackChecks');
const referenceChecks = require('./referenceChecks');
const {
	startByWebhook,
	activateTrigger,
	workerRunsOf,
	executionsEnded,
	endedExecutions,
} = require('./executions');
const {
	SECRET,
	log,
	secondsSince,
	outputOf,
	postJson,
	promptsWorkflow,
	sharedStep,
	submitToEmulator,
} = require('./suite');
const workerCrashChecks = require('./workerCrashChecks');
const { waitUntil } = require('./waitUntil');

const started = Date.now();
const emulator = createEmulator({ latencyMs: 1500, callbackRetryDelayMs: 300 });
// n8n (main), webhookBase, credential and workers are filled in by before(); the tests read them when they run.
const ctx = { emulator, queueMode: true };
let queue;

async function stopAll() {
	await queue?.stop();
	await emulator.stop();
}
// after() does not run when the suite is interrupted.
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

/**
 * A fresh trigger workflow, its callback URL on the webhook process and on main, and the callback
 * envelope of a task that has finished.
 */
async function triggerAndFinishedTask(name) {
	emulator.reset();
	const { workflowId, url, webhookId } = await activateTrigger(ctx, name);
	const taskId = await submitToEmulator(emulator, 'copied mock:never');
	emulator.finishTask(taskId);
	return {
		workflowId,
		url,
		mainUrl: `${ctx.n8n.baseUrl}/webhook/${webhookId}/callback`,
		envelope: { code: 0, msg: 'ok', data: emulator.getTask(taskId) },
	};
}

describe('e2e queue', () => {
	before(async () => {
		await emulator.start();
		queue = await startQueueN8n({
			name: 'e2e-queue',
			tarball: process.env.MAXAPI_E2E_TARBALL,
			// A killed worker's job lock lapses after 10 s, not n8n's 60 s, and is noticed within 5 s.
			env: {
				QUEUE_WORKER_LOCK_DURATION: '10000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
			},
			onStarted: (line) => log(`[e2e queue] ${line} (${secondsSince(started)})`),
		});
		const { main, workers, webhooks } = queue;
		const credential = await main.createEmulatorCredential(emulator);
		// Restarts: main (the time limits) and the webhook process (MaxAPI's calls); workers keep running.
		const restarted = [main, ...webhooks];
		Object.assign(ctx, {
			n8n: main,
			webhookBase: webhooks[0].baseUrl,
			credential,
			workers,
			down: async () => await Promise.all(restarted.map(async (p) => await p.stop())),
			up: async () => {
				await main.start();
				await Promise.all(webhooks.map(async (p) => await p.start()));
			},
		});
	});

	// Also runs when before() or a test failed.
	after(async () => {
		await stopAll();
		log(`[e2e queue] total ${secondsSince(started)}`);
	});

	const pollBatch = sharedStep(async () => {
		emulator.reset();
		const prompts = [
			'slow mock:latency=2500',
			'quick mock:latency=500',
			'middle mock:latency=1500',
		];
		const workflow = promptsWorkflow('e2e queue poll', 'maxapi-e2e-poll', prompts, {
			waitForCompletion: 'poll',
			downloadResults: true,
		});
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-poll');
		const executions = await executionsEnded(ctx, created.id, 1);
		return { prompts, executions };
	});

	test('Poll: a batch of several items ends successfully, its items in input order', async () => {
		const { prompts, executions } = await pollBatch();
		assert(executions.length === 1, `${executions.length} executions, expected 1`);
		const [execution] = executions;
		assert(
			execution.status === 'success',
			`status ${execution.status}: ${execution.data?.resultData?.error?.message}`,
		);
		const output = outputOf(execution, 'Make videos');
		assert(
			JSON.stringify(output.map((item) => item.json.input.prompt)) === JSON.stringify(prompts),
			'items out of order',
		);
	});

	test("Poll: every item of the batch comes out finished, with its task's file", async () => {
		const [execution] = (await pollBatch()).executions;
		assert(
			outputOf(execution, 'Make videos').every(
				(item) => item.json.status === 'SUCCESS' && item.binary?.data?.mimeType === 'video/mp4',
			),
			'a task or its file is missing',
		);
	});

	test('Poll: the batch runs once, on a worker', async () => {
		const [execution] = (await pollBatch()).executions;
		const runs = workerRunsOf(ctx, execution.id);
		assert(runs.length === 1, `workers that ran it: ${JSON.stringify(runs)}`);
	});

	callbackChecks.checkResume(ctx);
	callbackChecks.checkEarlyCallback(ctx);
	callbackChecks.checkTrigger(ctx);
	referenceChecks.checkReference(ctx);
	callbackChecks.checkOverlappingCopies(ctx, { copies: 20 });

	test('MaxApi Trigger: a copy sent to the webhook process, then to main, starts one execution (static data)', async () => {
		const { workflowId, url, mainUrl, envelope } = await triggerAndFinishedTask(
			'e2e queue copies across processes',
		);
		const first = await postJson(`${url}?secret=${SECRET}`, envelope);
		assert(
			first.status === 200 && first.body.started === true,
			`webhook process answered ${JSON.stringify(first)}`,
		);
		const second = await postJson(`${mainUrl}?secret=${SECRET}`, envelope);
		assert(
			second.status === 200 && second.body.reason === 'duplicate',
			`main answered ${JSON.stringify(second)}`,
		);
		await endedExecutions(ctx, workflowId, 1);
	});

	test('MaxApi Trigger: 20 copies at once on the webhook process, then one on main seconds later, start one execution', async () => {
		// What MaxAPI's retries do behind a load balancer, on a workflow that has not started anything yet:
		// copies that waited behind the first must not save the static data they loaded before its entry.
		const { workflowId, url, mainUrl, envelope } = await triggerAndFinishedTask(
			'e2e queue copies, then a late copy elsewhere',
		);
		// An API read as slow as the hosted one: the copies load static data while the first is confirmed,
		// and reach the node one by one (each cold-starts an expression isolate), some after its save.
		emulator.configure({ apiLatencyMs: 300 });
		const copies = await Promise.all(
			Array.from({ length: 20 }, () => postJson(`${url}?secret=${SECRET}`, envelope)),
		);
		const started = copies.filter((answer) => answer.body?.started === true);
		assert(started.length === 1, `copies answered ${JSON.stringify(copies)}`);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const late = await postJson(`${mainUrl}?secret=${SECRET}`, envelope);
		assert(
			late.status === 200 && late.body.reason === 'duplicate',
			`main answered ${JSON.stringify(late)}`,
		);
		await endedExecutions(ctx, workflowId, 1);
	});

	const heldWhileAnotherRunStarts = sharedStep(async () => {
		// The order n8n's static data can be lost in, made certain: the early callback loads the workflow's
		// static data, and its read of the API is held until the other task's run has started and saved.
		const { workflowId, url, mainUrl, envelope } = await triggerAndFinishedTask(
			'e2e queue held callback, then a copy elsewhere',
		);
		const running = await submitToEmulator(emulator, 'still running mock:never');
		emulator.injectFault({ route: 'get', type: 'hold' });
		const early = postJson(`${url}?secret=${SECRET}`, {
			code: 0,
			data: { ...emulator.getTask(running), status: 'SUCCESS' },
		});
		await waitUntil(() => emulator.heldCount() === 1, {
			timeoutMs: 20_000,
			what: 'the early callback to read the API',
		});
		const first = await postJson(`${url}?secret=${SECRET}`, envelope);
		emulator.release();
		return { workflowId, mainUrl, envelope, first, early: await early };
	});
	const held =
		'MaxApi Trigger: a callback for a running task, held at its API read while another task starts a run,';

	test(`${held} is refused (409)`, async () => {
		const { first, early } = await heldWhileAnotherRunStarts();
		assert(first.body?.started === true, `the finished task answered ${JSON.stringify(first)}`);
		assert(early.status === 409, `the early callback answered ${JSON.stringify(early)}`);
	});

	test(`${held} saves nothing over that run's record: a copy on main then starts nothing`, async () => {
		const { workflowId, mainUrl, envelope } = await heldWhileAnotherRunStarts();
		const late = await postJson(`${mainUrl}?secret=${SECRET}`, envelope);
		assert(
			late.status === 200 && late.body.reason === 'duplicate',
			`main answered ${JSON.stringify(late)}`,
		);
		await endedExecutions(ctx, workflowId, 1);
	});

	callbackChecks.checkRestart(ctx);
	callbackChecks.checkTimeLimit(ctx);
	workerCrashChecks.checkParkedWorkerKilled(ctx);
	workerCrashChecks.checkWaitingWorkerKilled(ctx);
});
