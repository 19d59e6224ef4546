/**
 * Shared by the emulator's own tests (*.test.ts beside this file): the emulator's types (emulatorTypes.ts), one
 * emulator per test, a small HTTP client, a webhook receiver, child processes, and fake timers for checks about
 * waiting.
 */
import { spawn, type ChildProcess } from 'child_process';
import { readFileSync } from 'fs';
import http from 'http';
import path from 'path';
import { setTimeout as realSleep } from 'timers/promises';

import {
	createEmulator,
	type EmulatorOptions,
	type Json,
	type TestEmulator,
} from './emulatorTypes';

export * from './emulatorTypes';

export const SERVER_JS = path.join(__dirname, 'server.js');
export const CLI = path.join(__dirname, '..', '..', 'scripts', 'emulator.js');
export const SAMPLE_MP4 = readFileSync(path.join(__dirname, 'media', 'sample.mp4'));
export const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Waits in real time, also under fake timers (timers/promises is not one of jest's fake globals). */
export const sleep = (ms: number): Promise<void> => realSleep(ms);

/** Polls predicate every 5 ms of real time; for tests under fake timers, where emulator.waitFor would not advance. */
export async function waitUntil<T>(predicate: () => T, timeoutMs = 5000): Promise<T> {
	for (let waited = 0; ; waited += 5) {
		const value = predicate();
		if (value) return value;
		if (waited >= timeoutMs) throw new Error(`waitUntil: condition not met within ${timeoutMs} ms`);
		await realSleep(5);
	}
}

export interface Tracked<T> {
	promise: Promise<T>;
	/** Whether promise has resolved or rejected yet. */
	settled: boolean;
}

/** Wraps a promise to tell whether it has settled, e.g. that an answer has not come yet. */
export function track<T>(promise: Promise<T>): Tracked<T> {
	const tracked = { promise, settled: false };
	promise.then(
		() => (tracked.settled = true),
		() => (tracked.settled = true),
	);
	return tracked;
}

/** The tracked call's result; fails within 2 s (not jest's 30 s) when it does not come. */
export async function answered<T>(tracked: Tracked<T>): Promise<T> {
	await waitUntil(() => tracked.settled, 2000);
	return tracked.promise;
}

/** GET url with node:http; `bytes()` counts the body as it arrives. */
export function countingGet(url: string): { bytes: () => number; done: Tracked<void> } {
	let received = 0;
	const done = track(
		new Promise<void>((resolve, reject) => {
			http
				.get(url, (res) => {
					res.on('data', (chunk: Buffer) => (received += chunk.length));
					res.on('end', resolve).on('error', reject);
				})
				.on('error', reject);
		}),
	);
	return { bytes: () => received, done };
}

/**
 * Fakes Date and the timers the emulator sets (task latency, callback retries), so a check about waiting
 * neither waits nor depends on scheduling. HTTP stays real: Node's http and fetch run outside jest's fake
 * globals. Undone after each test by useRealTimersAfterEach().
 */
export function useFakeClock(): void {
	jest.useFakeTimers({
		doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask'],
	});
}

export function useRealTimersAfterEach(): void {
	afterEach(() => {
		jest.useRealTimers();
	});
}

/**
 * Every test of the calling file also checks that the emulator printed nothing (README: "The emulator never
 * writes to stdout or stderr"). Only writes made from the emulator's own files count, so jest's reporter may
 * still draw its progress on a terminal.
 */
export function expectEmulatorSilent(): void {
	const emulatorSource = /[\\/]test[\\/]emulator[\\/][\w.-]+\.js:/;
	let writes: string[] = [];
	let spies: jest.SpyInstance[] = [];
	beforeEach(() => {
		writes = [];
		spies = [process.stdout, process.stderr].map((stream) => {
			const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
			return jest.spyOn(stream, 'write').mockImplementation(((...args: unknown[]) => {
				if (emulatorSource.test(new Error().stack ?? '')) writes.push(String(args[0]));
				return write(...args);
			}) as typeof stream.write);
		});
		for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
			spies.push(
				jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
					writes.push(args.map(String).join(' '));
				}),
			);
		}
	});
	afterEach(() => {
		for (const spy of spies) spy.mockRestore();
		expect(writes).toEqual([]);
	});
}

/** Starts an emulator for fn and always stops it. */
export async function withEmulator<T>(
	options: EmulatorOptions,
	fn: (emu: TestEmulator) => Promise<T>,
): Promise<T> {
	const emu = createEmulator(options);
	await emu.start();
	try {
		return await fn(emu);
	} finally {
		await emu.stop();
	}
}

export interface Target {
	baseUrl: string | null;
	apiKey: string;
}

export interface CallResult {
	status: number;
	headers: Headers;
	buffer: Buffer;
	/** Undefined when the body is not JSON (files, plain 404). */
	json: Json;
}

/** One HTTP call with fetch; key = null sends no Authorization header. */
export async function call(
	emu: Target,
	method: string,
	urlPath: string,
	{ body, key = emu.apiKey }: { body?: unknown; key?: string | null } = {},
): Promise<CallResult> {
	const headers: Record<string, string> = {};
	if (key !== null) headers.authorization = `Bearer ${key}`;
	let payload: string | undefined;
	if (body !== undefined) {
		payload = typeof body === 'string' ? body : JSON.stringify(body);
		headers['content-type'] = 'application/json';
	}
	const res = await fetch(`${emu.baseUrl}${urlPath}`, { method, headers, body: payload });
	const buffer = Buffer.from(await res.arrayBuffer());
	let json: Json;
	try {
		json = JSON.parse(buffer.toString('utf8'));
	} catch {
		// not JSON
	}
	return { status: res.status, headers: res.headers, buffer, json };
}

export const submit = (
	emu: Target,
	model: string,
	input: unknown,
	extra: Record<string, unknown> = {},
) => call(emu, 'POST', '/api/v1/task/submit', { body: { model, input, ...extra } });
export const getTask = (emu: Target, id: string) => call(emu, 'GET', `/api/v1/task/${id}`);
export const cancel = (emu: Target, id: string) => call(emu, 'POST', `/api/v1/task/${id}/cancel`);

/** Submits and expects success; returns the task id. */
export async function submitOk(
	emu: Target,
	model: string,
	input: Record<string, unknown>,
	extra?: Record<string, unknown>,
): Promise<string> {
	const res = await submit(emu, model, input, extra);
	// The answer is in the expectation so that a failure shows it.
	expect({ status: res.status, answer: res.json }).toMatchObject({ status: 200 });
	expect(res.json.code).toBe(0);
	return res.json.data.taskId;
}

export interface Delivery {
	method?: string;
	url?: string;
	headers: http.IncomingHttpHeaders;
	body: Json;
}

export interface Receiver {
	url: string;
	received: Delivery[];
	close(): Promise<void>;
}

/** Webhook receiver: answers each POST with the next of `statuses` (then 200); 'hang' never answers. */
export async function startReceiver(statuses: Array<number | 'hang'> = []): Promise<Receiver> {
	const received: Delivery[] = [];
	const server = http.createServer(async (req, res) => {
		let text = '';
		for await (const chunk of req) text += chunk;
		received.push({
			method: req.method,
			url: req.url,
			headers: req.headers,
			body: JSON.parse(text),
		});
		const status = statuses.shift() ?? 200;
		if (status !== 'hang') res.writeHead(status).end('ok');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook?token=abc`,
		received,
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

/** A URL on a port where nothing listens. */
export async function closedPortUrl(): Promise<string> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));
	return `http://127.0.0.1:${port}/hook`;
}

export interface TimedResponse {
	res: http.IncomingMessage;
	headersAfter: number;
	endAfter: number;
	bytes: number;
	chunks: Buffer[];
}

/** GET with node:http, reporting when headers and the end of the body arrived (first 100 chunks kept). */
export function timedGet(
	url: string,
	headers: http.OutgoingHttpHeaders = {},
): Promise<TimedResponse> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		http
			.get(url, { headers }, (res) => {
				const headersAfter = Date.now() - started;
				let bytes = 0;
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => {
					bytes += chunk.length;
					if (chunks.length < 100) chunks.push(chunk);
				});
				res.on('end', () =>
					resolve({ res, headersAfter, endAfter: Date.now() - started, bytes, chunks }),
				);
				res.on('error', reject);
			})
			.on('error', reject);
	});
}

export interface Exit {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface NodeProcess {
	child: ChildProcess;
	exited: Promise<Exit>;
	output(): string;
}

export function runNode(args: string[], env: Record<string, string> = {}): NodeProcess {
	const child = spawn(process.execPath, args, {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (d) => (stdout += d));
	child.stderr?.on('data', (d) => (stderr += d));
	const exited = new Promise<Exit>((resolve) =>
		child.on('close', (code) => resolve({ code, stdout, stderr })),
	);
	return { child, exited, output: () => stdout };
}

/** Resolves with the match once the child's stdout matches pattern (at once if it already does). */
export function waitForOutput(proc: NodeProcess, pattern: RegExp): Promise<RegExpExecArray> {
	return new Promise((resolve, reject) => {
		const check = () => {
			const match = pattern.exec(proc.output());
			if (match) resolve(match);
		};
		check();
		proc.child.stdout?.on('data', check);
		void proc.exited.then((r) => reject(new Error(`exited early (code ${r.code}): ${r.stderr}`)));
	});
}

/** The process's exit, failing the test when it does not come within ms. */
export async function waitForExit(exited: Promise<Exit>, ms: number, what: string): Promise<Exit> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, ms, null)));
	const result = await Promise.race([exited, timeout]);
	clearTimeout(timer);
	expect({ what, exited: result !== null }).toEqual({ what, exited: true });
	return result as Exit;
}
