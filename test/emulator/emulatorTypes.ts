/**
 * The emulator's types as README.md describes them (test/helpers.ts has the subset the node's tests use), and
 * createEmulator typed with them. Its own tests import these through fixtures.ts.
 */
/** A parsed JSON answer; tests read into it freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface EmulatorOptions {
	host?: string;
	port?: number;
	apiKey?: string;
	latencyMs?: number;
	rejectLocalCallbacks?: boolean;
	cancellable?: 'non-terminal' | 'pending';
	httpStatusMirrorsCode?: boolean;
	callbackRetries?: number;
	callbackRetryDelayMs?: number;
	callbackTimeoutMs?: number;
	/** Every /api/v1 answer is sent this long after the request arrived (± apiJitterMs). */
	apiLatencyMs?: number;
	apiJitterMs?: number;
	/** /api/v1 requests per second (or in flight), counted as rateLimitKind says; null: no limit. */
	rateLimit?: number | null;
	/** How rateLimit is counted (shaping.js); default 'token-bucket'. */
	rateLimitKind?: 'token-bucket' | 'sliding-window' | 'fixed-window' | 'in-flight';
	/** The most bytes per second of each /files download; null: unlimited. */
	downloadBytesPerSecond?: number | null;
}

export interface PublicTask {
	taskId: string;
	status: string;
	input: Record<string, unknown>;
	result: { type: string; urls: string[] } | null;
	failure_reason: string | null;
	created_at: string;
	updated_at: string;
}

export interface TaskRecord extends PublicTask {
	callBackUrl?: string;
	user_id?: string;
	submittedAt: number;
	latencyMs: number;
	outcome: { status: string; reason: string | null } | null;
}

export interface LoggedRequest {
	method: string;
	path: string;
	route: 'submit' | 'get' | 'cancel' | 'unknown';
	taskId?: string;
	body: Json;
	authorized: boolean;
	at: number;
	/** The HTTP status of the answer (429 when rate-limited); null when the connection was dropped (reset fault). */
	status: number | null;
}

export interface CallbackAttempt {
	taskId: string;
	url: string;
	attempt: number;
	status?: number;
	/** When n8n refused it (not 2xx): the start of its answer. */
	answer?: string;
	error?: string;
	at: number;
}

/** The emulator object as README.md describes it (test/helpers.ts has the subset the node's tests use). */
export interface TestEmulator {
	readonly baseUrl: string | null;
	apiKey: string;
	requests: LoggedRequest[];
	fileRequests: Array<{ path: string; authorization: boolean }>;
	callbacks: CallbackAttempt[];
	tasks: Map<string, TaskRecord>;
	start(): Promise<{ baseUrl: string; port: number }>;
	stop(): Promise<void>;
	reset(): void;
	injectFault(fault: Record<string, unknown>): void;
	configure(options: Record<string, unknown>): void;
	release(): number;
	heldCount(): number;
	finishTask(taskId: string, outcome?: { status?: string; reason?: string }): PublicTask;
	deliverCallback(taskId: string): void;
	getTask(id: string): PublicTask | undefined;
	submitCount(): number;
	/** Tasks created since start or reset(): always tasks.size. */
	tasksCreated(): number;
	peakInFlight(): number;
	/** Resolves with the predicate's first truthy value. */
	waitFor<T>(
		predicate: (emulator: TestEmulator) => T | Promise<T>,
		timeoutMs?: number,
	): Promise<Truthy<T>>;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

// The emulator is plain JavaScript so that `npm run emulator` needs no build.
const server = require('./server.js') as {
	createEmulator(options?: EmulatorOptions): TestEmulator;
	DEFAULT_API_KEY: string;
};
export const { createEmulator, DEFAULT_API_KEY } = server;
