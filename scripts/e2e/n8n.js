// One n8n process of the installed n8n (install.js), started and stopped for the e2e suites, the benches and
// `npm run dev`: `n8n start` (one process, or queue mode's main), a worker or a webhook process. What the
// suites ask it goes through N8nClient, which N8n extends.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { installN8n } = require('./install');
const { N8nClient, OWNER } = require('./n8nClient');
const { installPackage } = require('./pack');
const { ChildProcesses, freePort, killGroup } = require('./processes');
const { log, ROOT } = require('./suite');
const { waitUntil } = require('./waitUntil');

class N8n extends N8nClient {
	/**
	 * command: 'start' (one process, or queue mode's main), 'worker' or 'webhook'. env: added to the
	 * environment (queue mode's database, Redis, WEBHOOK_URL). healthPort: a worker's health server.
	 */
	constructor({
		nodeHome,
		n8nBin,
		userFolder,
		port,
		brokerPort,
		encryptionKey,
		command = 'start',
		env = {},
		healthPort,
		name,
		children,
	}) {
		super({ baseUrl: `http://127.0.0.1:${port}`, n8nBin });
		Object.assign(this, {
			nodeHome,
			userFolder,
			port,
			brokerPort,
			encryptionKey,
			command,
			extraEnv: env,
			healthPort,
		});
		this.name = name ?? `n8n ${command}`;
		this.children = children ?? new ChildProcesses();
		this.logFile = path.join(userFolder, 'n8n.log');
	}

	env() {
		return {
			...process.env,
			PATH: `${path.join(this.nodeHome, 'bin')}:${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			DB_TYPE: 'sqlite',
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			...(this.healthPort
				? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.healthPort) }
				: {}),
			...this.extraEnv,
		};
	}

	async start() {
		const logFile = fs.openSync(this.logFile, 'a');
		// MAXAPI_N8N_NODE_OPTIONS: flags for n8n's own node (e.g. --cpu-prof), which NODE_OPTIONS refuses.
		const nodeFlags = process.env.MAXAPI_N8N_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
		this.process = spawn(
			path.join(this.nodeHome, 'bin', 'node'),
			[...nodeFlags, this.n8nBin, this.command],
			{
				env: this.env(),
				stdio: ['ignore', logFile, logFile],
				detached: true,
			},
		);
		const exited = this.children.add(this.process);
		let gone = false;
		void exited.then(() => (gone = true));
		const readiness = this.healthPort
			? `http://127.0.0.1:${this.healthPort}/healthz`
			: `${this.baseUrl}/healthz/readiness`;
		await waitUntil(
			async () => {
				if (gone) throw new Error(`${this.name} exited during start; see ${this.logFile}`);
				if (!(await fetch(readiness)).ok) return false;
				// n8n 1.x says it is ready before its routes are there: REST (404 until the migrations ran),
				// and a webhook process's /webhook-waiting/ (express's "Cannot POST" for a moment).
				if (this.command === 'webhook') {
					const probe = await fetch(`${this.baseUrl}/webhook-waiting/0`, { method: 'POST' });
					return !(await probe.text()).includes('Cannot POST');
				}
				return this.command !== 'start' || (await fetch(`${this.baseUrl}/rest/settings`)).ok;
			},
			{
				timeoutMs: 180_000,
				what: `${this.name} to be ready`,
				failFast: () => gone && `${this.name} exited during start; see ${this.logFile}`,
			},
		);
	}

	async stop() {
		if (this.process) await this.children.stop(this.process);
	}

	/** Ends the process and its children at once (SIGKILL), as an out-of-memory kill does. */
	async kill() {
		if (this.process) await this.children.stop(this.process, 'SIGKILL');
	}

	/** The lines of this process's log that contain `text`. */
	logLines(text) {
		return fs
			.readFileSync(this.logFile, 'utf8')
			.split('\n')
			.filter((line) => line.includes(text));
	}

	/** Starts this n8n, signs the owner in and returns a MaxAPI credential pointing at the emulator. */
	async startWithEmulatorCredential(emulator) {
		await this.start();
		await this.signIn();
		return await this.createEmulatorCredential(emulator);
	}

	/**
	 * Runs a workflow that starts with a Manual Trigger, as `n8n execute` does (a second n8n process on the
	 * same database), and returns the run. n8n sometimes crashes on exit after printing it, so the exit
	 * code is not the verdict.
	 */
	async runByCli(workflowId) {
		// Asynchronous on purpose: the emulator runs in this process and must keep answering meanwhile.
		const child = spawn(this.n8nBin, ['execute', `--id=${workflowId}`, '--rawOutput'], {
			env: { ...this.env(), N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		// Tracked so that stopAll() and an interrupted suite end it and its task runner too; SIGKILL, as
		// `n8n execute` ignores SIGTERM and a throw-away run has nothing to save.
		this.children.add(child, 'SIGKILL');
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 180_000);
		await new Promise((resolve) => child.once('close', resolve));
		clearTimeout(timer);
		// The run is printed as indented JSON: from a line "{" to the next line "}".
		const lines = stdout.split('\n');
		const first = lines.indexOf('{');
		const last = lines.indexOf('}', first);
		if (first < 0 || last < 0)
			throw new Error(`n8n execute printed no run: ${stderr.slice(-500) || stdout.slice(-500)}`);
		return JSON.parse(lines.slice(first, last + 1).join('\n'));
	}
}

/**
 * One n8n process with this package installed (or MAXAPI_E2E_TARBALL, to check another build), in a new user
 * folder under the system's temp folder, on free ports. `remove()` deletes the folder once n8n has stopped.
 */
async function oneN8n(name, options = {}) {
	const { nodeHome, n8nBin } = installN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `maxapi-${name}-`));
	installPackage(userFolder, process.env.MAXAPI_E2E_TARBALL || undefined);
	const n8n = new N8n({
		nodeHome,
		n8nBin,
		userFolder,
		port: await freePort(),
		brokerPort: await freePort(),
		encryptionKey: `maxapi-${name}-key`,
		...options,
	});
	const remove = () => fs.rmSync(userFolder, { recursive: true, force: true });
	return { n8n, userFolder, remove };
}

module.exports = {
	N8n,
	oneN8n,
	// For scripts/dev.js and scripts/screenshots.js, which take them from here.
	installN8n,
	installPackage,
	log,
	ROOT,
	OWNER,
};
