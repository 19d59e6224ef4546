// What the suites ask a running n8n, as its editor and users do: the editor's REST API (owner login,
// credentials, n8n 1.x's executions) and the public API (workflows, executions).
const path = require('node:path');

const { waitUntil } = require('./waitUntil');

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Max',
	lastName: 'Owner',
	password: 'Passw0rd123',
};

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

/**
 * n8n 1.x lists an execution's running and ended states with two queries run at once
 * (`findLatestCurrentAndCompleted`), so one that ends between them is listed twice.
 */
function distinct(summaries) {
	return [...new Map(summaries.map((summary) => [summary.id, summary])).values()];
}

class N8nClient {
	/** n8nBin: the install it talks to (its version decides which API lists executions). */
	constructor({ baseUrl, n8nBin }) {
		this.baseUrl = baseUrl;
		this.n8nBin = n8nBin;
		this.cookie = '';
		this.apiKey = '';
	}

	/** The n8n major version this process runs (from its install folder, n8n-<version>). */
	get majorVersion() {
		return Number(/n8n-(\d+)\./.exec(this.n8nBin)?.[1] ?? 2);
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
}

module.exports = { N8nClient, OWNER };
