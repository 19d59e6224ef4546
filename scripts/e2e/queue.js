// `npm run test:e2e -- --queue [--n8n <version>]`: the packed package in n8n's queue mode, as users run it to scale: a main
// process (editor, API, timers), two workers (run executions), one webhook process (answers /webhook/ and
// /webhook-waiting/, where WEBHOOK_URL points), PostgreSQL and Redis. before() starts everything on free
// 127.0.0.1 ports, after() stops it, also on failure; Ctrl-C too. One node:test test per check, one after
// another; reporter.js prints ok / not ok and the last line.
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, test, before, after } = require('node:test');

const { createEmulator } = require('../../test/emulator/server');
const {
	N8n,
	ChildProcesses,
	installN8n,
	packPackage,
	installPackage,
	freePort,
	log,
} = require('./n8n');
const { ensureDebianPackages, Postgres, Redis } = require('./services');
const {
	SECRET,
	secondsSince,
	outputOf,
	postJson,
	promptsWorkflow,
	submitToEmulator,
} = require('./suite');
const callbackChecks = require('./callbackChecks');

const ENCRYPTION_KEY = 'maxapi-e2e-queue-key';
const started = Date.now();
const children = new ChildProcesses();
const postgres = new Postgres(children);
const redis = new Redis(children);
const emulator = createEmulator({ latencyMs: 1500, callbackRetryDelayMs: 300 });
// n8n (main), webhookBase, credential and workers are filled in by before(); the tests read them when they run.
const ctx = { emulator };
let base;

async function stopAll() {
	await children.stopAll();
	await emulator.stop();
	postgres.remove();
	if (base && !process.env.MAXAPI_E2E_KEEP) fs.rmSync(base, { recursive: true, force: true });
}
// after() does not run when the suite is interrupted.
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

describe('e2e queue', () => {
	before(async () => {
		ensureDebianPackages();
		const { nodeHome, n8nBin, version } = installN8n();
		log(`[e2e queue] n8n ${version} installed (cached after the first run)`);
		base = fs.mkdtempSync(path.join(os.tmpdir(), 'maxapi-e2e-queue-'));
		const tarball =
			process.env.MAXAPI_E2E_TARBALL || packPackage(fs.mkdtempSync(path.join(base, 'pack-')));

		await Promise.all([postgres.start(), redis.start(), emulator.start()]);
		log(
			`[e2e queue] PostgreSQL on ${postgres.port}, Redis on ${redis.port}, emulator on ${emulator.baseUrl} (${secondsSince(started)})`,
		);
		const webhookPort = await freePort();
		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Resume URLs and trigger URLs point at the webhook process, as a load balancer would route them.
			WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			N8N_LOG_LEVEL: 'info',
		};
		/** One n8n process with its own user folder (holding the package) and the shared settings. */
		const process_ = async (name, command, { port, worker = false } = {}) => {
			const userFolder = path.join(base, name);
			fs.mkdirSync(userFolder, { recursive: true });
			installPackage(userFolder, tarball);
			return new N8n({
				nodeHome,
				n8nBin,
				userFolder,
				name,
				command,
				children,
				port: port ?? (await freePort()),
				brokerPort: await freePort(),
				healthPort: worker ? await freePort() : undefined,
				encryptionKey: ENCRYPTION_KEY,
				env: queueEnv,
			});
		};

		const main = await process_('main', 'start');
		await main.start();
		await main.signIn();
		const credential = await main.createEmulatorCredential(emulator);
		log(`[e2e queue] main ready on ${main.baseUrl} (${secondsSince(started)})`);
		const workers = [
			await process_('worker-1', 'worker', { worker: true }),
			await process_('worker-2', 'worker', { worker: true }),
		];
		const webhook = await process_('webhook', 'webhook', { port: webhookPort });
		await Promise.all([...workers, webhook].map(async (child) => await child.start()));
		log(
			`[e2e queue] 2 workers and the webhook process (${webhook.baseUrl}) ready (${secondsSince(started)})`,
		);
		Object.assign(ctx, { n8n: main, webhookBase: webhook.baseUrl, credential, workers });
	});

	// Also runs when before() or a test failed.
	after(async () => {
		await stopAll();
		log(`[e2e queue] total ${secondsSince(started)}`);
	});

	test('Poll: a batch of several items runs on a worker and comes out in input order, with its files', async () => {
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
		const created = await callbackChecks.startByWebhook(ctx, workflow, 'maxapi-e2e-poll');
		const [execution] = await callbackChecks.endedExecutions(ctx, created.id, 1);
		assert(
			execution.status === 'success',
			`status ${execution.status}: ${execution.data?.resultData?.error?.message}`,
		);
		const output = outputOf(execution, 'Make videos');
		assert(
			JSON.stringify(output.map((item) => item.json.input.prompt)) === JSON.stringify(prompts),
			'items out of order',
		);
		assert(
			output.every(
				(item) => item.json.status === 'SUCCESS' && item.binary?.data?.mimeType === 'video/mp4',
			),
			'a task or its file is missing',
		);
		const runs = callbackChecks.workerRunsOf(ctx, execution.id);
		assert(runs.length === 1, `workers that ran it: ${JSON.stringify(runs)}`);
	});

	callbackChecks.checkResume(ctx);
	callbackChecks.checkEarlyCallback(ctx);
	callbackChecks.checkTrigger(ctx);
	callbackChecks.checkOverlappingCopies(ctx, { copies: 20 });

	test('MaxApi Trigger: a copy sent to the webhook process, then to main, starts one execution (static data)', async () => {
		emulator.reset();
		const { workflowId, url, webhookId } = await callbackChecks.activateTrigger(
			ctx,
			'e2e queue copies across processes',
		);
		const mainUrl = `${ctx.n8n.baseUrl}/webhook/${webhookId}/callback`;
		const taskId = await submitToEmulator(emulator, 'copied mock:never');
		emulator.finishTask(taskId);
		const envelope = { code: 0, msg: 'ok', data: emulator.getTask(taskId) };
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
		await callbackChecks.endedExecutions(ctx, workflowId, 1);
	});

	callbackChecks.checkTimeLimit(ctx);
});
