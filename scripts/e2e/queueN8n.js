// n8n's queue mode as users run it to scale, started for a suite or a benchmark: PostgreSQL and Redis
// (Debian's packages, installed if missing), a main process (editor, API, timers), workers (run
// executions) and webhook processes (answer /webhook/ and /webhook-waiting/; WEBHOOK_URL points at the
// first, as a load balancer would route them). Every process on free 127.0.0.1 ports, with its own user
// folder holding the packed package; stop() ends them all and removes the folders.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { installN8n } = require('./install');
const { N8n } = require('./n8n');
const { packPackage, installPackage } = require('./pack');
const { ChildProcesses, freePort } = require('./processes');
const { ensureDebianPackages, Postgres, Redis } = require('./services');

/**
 * Starts queue mode; resolves with { main, workers, webhooks, processes, base, stop }. `tarball`: the
 * package to install (packed from this project if not given). `onStarted(line)`: progress lines.
 */
async function startQueueN8n({
	name = 'queue',
	tarball,
	workerCount = 2,
	webhookCount = 1,
	env = {},
	children = new ChildProcesses(),
	onStarted = () => undefined,
} = {}) {
	ensureDebianPackages();
	const { nodeHome, n8nBin, version } = installN8n();
	onStarted(`n8n ${version} installed (cached after the first run)`);
	const base = fs.mkdtempSync(path.join(os.tmpdir(), `maxapi-${name}-`));
	const postgres = new Postgres(children);
	const redis = new Redis(children);
	const stop = async () => {
		await children.stopAll();
		postgres.remove();
		if (!process.env.MAXAPI_E2E_KEEP) fs.rmSync(base, { recursive: true, force: true });
	};
	try {
		const packed = tarball || packPackage(fs.mkdtempSync(path.join(base, 'pack-')));
		await Promise.all([postgres.start(), redis.start()]);
		onStarted(`PostgreSQL on ${postgres.port}, Redis on ${redis.port}`);
		const webhookPorts = await Promise.all(Array.from({ length: webhookCount }, freePort));
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
			// Resume URLs and trigger URLs point at a webhook process, as a load balancer would route them.
			WEBHOOK_URL: `http://127.0.0.1:${webhookPorts[0]}/`,
			N8N_LOG_LEVEL: 'info',
			...env,
		};
		const n8nProcess = async (processName, command, { port, worker = false } = {}) => {
			const userFolder = path.join(base, processName);
			fs.mkdirSync(userFolder, { recursive: true });
			installPackage(userFolder, packed);
			return new N8n({
				nodeHome,
				n8nBin,
				userFolder,
				name: processName,
				command,
				children,
				port: port ?? (await freePort()),
				brokerPort: await freePort(),
				healthPort: worker ? await freePort() : undefined,
				encryptionKey: `maxapi-${name}-key`,
				env: queueEnv,
			});
		};

		const main = await n8nProcess('main', 'start');
		await main.start();
		await main.signIn();
		onStarted(`main ready on ${main.baseUrl}`);
		const workers = [];
		for (let i = 1; i <= workerCount; i++)
			workers.push(await n8nProcess(`worker-${i}`, 'worker', { worker: true }));
		const webhooks = [];
		for (const [i, port] of webhookPorts.entries())
			webhooks.push(
				await n8nProcess(i === 0 ? 'webhook' : `webhook-${i + 1}`, 'webhook', { port }),
			);
		await Promise.all([...workers, ...webhooks].map(async (child) => await child.start()));
		onStarted(`${workerCount} workers and ${webhookCount} webhook process(es) ready`);
		return { main, workers, webhooks, processes: [main, ...workers, ...webhooks], base, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startQueueN8n };
