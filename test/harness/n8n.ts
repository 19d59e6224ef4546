/**
 * Runs whole workflows in-process through n8n-core's engine (WorkflowExecute), the way n8n runs them,
 * with this package's nodes and credential. Requests go over real HTTP to whatever the credential points at.
 */
import 'reflect-metadata';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	IConnections,
	IRequestOptionsSimplified,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
} from 'n8n-workflow';

import { MaxApiApi } from '../../credentials/MaxApiApi.credentials';
import { MaxApi } from '../../nodes/MaxApi/MaxApi.node';
import { MaxApiTrigger } from '../../nodes/MaxApiTrigger/MaxApiTrigger.node';

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
}

/** A stand-in for n8n-nodes-base's Manual Trigger (not installed here): it emits the items it is started with. */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test stand-in',
		defaults: { name: 'When clicking ‘Execute workflow’' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-maxapi.maxApi': new MaxApi(),
	'n8n-nodes-maxapi.maxApiTrigger': new MaxApiTrigger(),
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
};

export const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_TYPES[type],
	getByNameAndVersion: (type, version) =>
		NodeHelpers.getVersionedNodeType(NODE_TYPES[type], version),
	getKnownTypes: () => ({}),
};

const CREDENTIAL_TYPES: Record<string, ICredentialType> = { maxApiApi: new MaxApiApi() };

/** Resolves `={{$credentials.x}}` values of a generic `authenticate`, as n8n's CLI credentials helper does. */
function resolveCredentialValue(
	workflow: WorkflowType | undefined,
	node: INode | undefined,
	value: string,
	credentials: ICredentialDataDecryptedObject,
): string {
	if (!value.startsWith('=') || !workflow || !node) return value;
	return String(
		workflow.expression.getSimpleParameterValue(node, value, 'internal', {
			$credentials: credentials,
		}),
	);
}

/** How often a credential was loaded (n8n loads and decrypts it from its database each time). */
export const credentialLoads = { count: 0 };

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = CREDENTIAL_TYPES[typeName]?.authenticate;
		const options = requestOptions as IHttpRequestOptions;
		// As n8n's credentials helper: a function is called, a generic block is resolved.
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!authenticate) return options;
		const headers = (authenticate.properties.headers ?? {}) as Record<string, string>;
		options.headers = { ...(options.headers ?? {}) };
		for (const [name, value] of Object.entries(headers)) {
			options.headers[name] = resolveCredentialValue(workflow, node, value, credentials);
		}
		return options;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.credentials[type];
		if (!found) throw new Error(`No test credentials of type ${type}`);
		credentialLoads.count++;
		return { ...CREDENTIAL_DEFAULTS[type], ...found };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}
}

const CREDENTIAL_DEFAULTS: Record<string, ICredentialDataDecryptedObject> = Object.fromEntries(
	Object.entries(CREDENTIAL_TYPES).map(([type, credential]) => [
		type,
		Object.fromEntries(credential.properties.map((property) => [property.name, property.default])),
	]),
) as Record<string, ICredentialDataDecryptedObject>;

export const DEFAULT_WAITING_BASE_URL = 'http://127.0.0.1:5678/webhook-waiting';

export function additionalDataFor(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	hooks: ExecutionLifecycleHooks,
	executionId: string | undefined,
	webhookWaitingBaseUrl = DEFAULT_WAITING_BASE_URL,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl,
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	/** The error that stopped the workflow, if any. */
	error: IRun['data']['resultData']['error'];
	/** Output items of a node's last run (first output, or the one given: 1 is the error output). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	workflow: WorkflowType;
}

export interface RunOptions {
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Items the start node emits; one empty item when not given, as a manual run does. */
	items?: INodeExecutionData[];
	/** Turn on "Continue On Fail" (onError: continueRegularOutput) for these nodes. */
	continueOnFail?: string[];
	/** Turn on "Continue (using error output)" (onError: continueErrorOutput) for these nodes. */
	errorOutput?: string[];
	/** Where `$execution.resumeUrl` points: n8n's /webhook-waiting route, or a test server playing it. */
	webhookWaitingBaseUrl?: string;
	executionId?: string;
	/** Lets a test stop the run, as the Stop button does. */
	abortSignal?: AbortSignal;
}

let executionCounter = 0;

/** Runs a workflow (an n8n export, as in examples/) from its trigger to its end. */
export function workflowOf(
	workflowJson: WorkflowJson,
	options: Pick<RunOptions, 'continueOnFail' | 'errorOutput'> = {},
	staticData: IDataObject = {},
): WorkflowType {
	const nodes = workflowJson.nodes.map((node) => {
		if (options.continueOnFail?.includes(node.name))
			return { ...node, onError: 'continueRegularOutput' as const };
		if (options.errorOutput?.includes(node.name))
			return { ...node, onError: 'continueErrorOutput' as const };
		return node;
	});
	return new Workflow({
		id: 'test-workflow',
		name: workflowJson.name ?? 'test',
		nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
		staticData,
	});
}

export function nextExecutionId(): string {
	return String(++executionCounter);
}

export async function runWorkflow(
	workflowJson: WorkflowJson,
	options: RunOptions,
): Promise<RunResult> {
	const workflow = workflowOf(workflowJson, options);
	const start = Object.values(workflow.nodes).find((node) =>
		nodeTypes.getByName(node.type)?.description.group.includes('trigger'),
	);
	if (!start) throw new Error('The workflow has no trigger node');

	const executionId = options.executionId ?? nextExecutionId();
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: start, data: { main: [options.items ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	const run = await execute(workflow, runExecutionData, options.credentials, executionId, options);
	return resultOf(run, workflow);
}

export async function execute(
	workflow: WorkflowType,
	runExecutionData: IRunExecutionData,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	executionId: string,
	options: Pick<RunOptions, 'webhookWaitingBaseUrl' | 'abortSignal'> = {},
): Promise<IRun> {
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: workflow.id,
		name: workflow.name,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const additionalData = additionalDataFor(
		credentials,
		hooks,
		executionId,
		options.webhookWaitingBaseUrl,
	);
	const running = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	options.abortSignal?.addEventListener('abort', () => running.cancel(), { once: true });
	return await running;
}

export function resultOf(run: IRun, workflow: WorkflowType): RunResult {
	return {
		run,
		status: run.status,
		error: run.data.resultData.error,
		workflow,
		output(nodeName: string, outputIndex = 0) {
			const runs = run.data.resultData.runData[nodeName];
			if (!runs || runs.length === 0) throw new Error(`Node "${nodeName}" did not run`);
			return runs[runs.length - 1].data?.main?.[outputIndex] ?? [];
		},
	};
}
