import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runWorkflow, type RunResult, type WorkflowJson } from './harness/n8n';

// The emulator is plain JavaScript so that `npm run emulator` needs no build.
const { createEmulator, DEFAULT_API_KEY } = require('./emulator/server.js');

export { DEFAULT_API_KEY };

export interface EmulatorRequest {
	method: string;
	path: string;
	route: 'submit' | 'get' | 'cancel' | 'unknown';
	taskId?: string;
	body: IDataObject;
	authorized: boolean;
	/** When it arrived (ms). */
	at: number;
	/** The HTTP status it was answered with (null: the connection was dropped). */
	status: number | null;
}

export interface EmulatorTask extends IDataObject {
	taskId: string;
	status: string;
	input: IDataObject;
	callBackUrl?: string;
	user_id?: string;
}

export interface Emulator {
	baseUrl: string;
	apiKey: string;
	requests: EmulatorRequest[];
	/** Every file download (GET /files/…), and whether it carried an Authorization header. */
	fileRequests: Array<{ path: string; authorization: boolean }>;
	callbacks: IDataObject[];
	tasks: Map<string, EmulatorTask>;
	start(): Promise<{ baseUrl: string; port: number }>;
	stop(): Promise<void>;
	reset(): void;
	injectFault(fault: IDataObject): void;
	/** Changes latencyMs, callbackRetries, callbackRetryDelayMs, callbackTimeoutMs, rejectLocalCallbacks, apiLatencyMs, apiJitterMs, rateLimit or downloadBytesPerSecond until reset(). */
	configure(options: IDataObject): void;
	/** Sends the answers held by 'hold' faults; returns how many. */
	release(): number;
	heldCount(): number;
	/** Ends a running task now, with its callback. */
	finishTask(taskId: string, outcome?: { status?: string; reason?: string }): EmulatorTask;
	/** Sends a task's callback once more, as MaxAPI calling again. */
	deliverCallback(taskId: string): void;
	getTask(id: string): EmulatorTask | undefined;
	/** Submit requests received, rate-limited, unauthorized and failed ones included. */
	submitCount(): number;
	/** Tasks created since start/reset() (= tasks.size): a rate-limited or failed submit creates none. */
	tasksCreated(): number;
	/** The most /api/v1 requests answered at once; one counts until its answer is sent (after any API latency). */
	peakInFlight(): number;
	waitFor(predicate: (emulator: Emulator) => unknown, timeoutMs?: number): Promise<void>;
}

/**
 * The emulator for a test file: started before its tests, reset before each, stopped after them. Use the
 * returned object as the emulator itself.
 */
export function useEmulator(options: IDataObject = {}): Emulator {
	let started: Emulator | undefined;
	beforeAll(async () => {
		started = await startEmulator(options);
	});
	beforeEach(() => started!.reset());
	afterAll(async () => await started?.stop());
	return new Proxy({} as Emulator, {
		get(_target, name) {
			if (!started) throw new Error('The emulator is used before beforeAll has started it');
			const value = started[name as keyof Emulator];
			return typeof value === 'function'
				? (value as (...args: unknown[]) => unknown).bind(started)
				: value;
		},
	});
}

export async function startEmulator(options: IDataObject = {}): Promise<Emulator> {
	const emulator = createEmulator({
		latencyMs: 300,
		callbackRetryDelayMs: 50,
		...options,
	}) as Emulator;
	await emulator.start();
	return emulator;
}

export const MAXAPI_NODE = 'MaxApi';

/** Manual Trigger → MaxApi, the smallest workflow a user builds. */
export function maxApiWorkflow(parameters: INodeParameters): WorkflowJson {
	return {
		nodes: [
			{
				id: '00000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '00000000-0000-4000-8000-000000000002',
				name: MAXAPI_NODE,
				type: 'n8n-nodes-maxapi.maxApi',
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { maxApiApi: { id: '1', name: 'MaxAPI account' } },
			},
		],
		connections: { Start: { main: [[{ node: MAXAPI_NODE, type: 'main' as never, index: 0 }]] } },
	};
}

export interface RunMaxApiOptions {
	items?: INodeExecutionData[];
	apiKey?: string;
	baseUrl?: string;
	continueOnFail?: boolean;
	/** On Error: "Continue (using error output)". */
	errorOutput?: boolean;
}

export async function runMaxApi(
	emulator: Emulator,
	parameters: INodeParameters,
	options: RunMaxApiOptions = {},
): Promise<RunResult> {
	return await runWorkflow(maxApiWorkflow(parameters), {
		credentials: {
			maxApiApi: {
				apiKey: options.apiKey ?? emulator.apiKey,
				baseUrl: options.baseUrl ?? emulator.baseUrl,
			},
		},
		items: options.items,
		continueOnFail: options.continueOnFail ? [MAXAPI_NODE] : undefined,
		errorOutput: options.errorOutput ? [MAXAPI_NODE] : undefined,
	});
}

export function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

/** One input item per prompt, as a Code node or a sheet gives them. */
export function prompts(...list: string[]): INodeExecutionData[] {
	return list.map((prompt) => ({ json: { prompt } }));
}

/** Submits one task through the node (Don't Wait), as a user would; resolves with its ID. */
export async function submitTask(
	emulator: Emulator,
	prompt: string,
	model = 'seedance-2.0',
	family = 'seedance',
): Promise<string> {
	const result = await runMaxApi(emulator, {
		operation: 'submit',
		waitForCompletion: 'none',
		family,
		model,
		prompt,
	});
	return String(jsonOf(result.output(MAXAPI_NODE))[0].taskId);
}
