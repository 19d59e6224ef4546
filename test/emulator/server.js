'use strict';
// Local emulator of the MaxAPI task API (https://api.maxapi.io), see README.md next to this file.
// Plain CommonJS with Node built-ins only, so jest, the demo and `npm run emulator` can all load it.
// This file is the public entry: createEmulator() holds the shared state, wires the parts (one file per
// concern, listed in README.md) together and returns the emulator object.
const http = require('node:http');
const { createCallbackSender } = require('./callbacks');
const { createControlHandler } = require('./control');
const { createFaults } = require('./faults');
const { createFileHandler } = require('./files');
const { readBody, sendJson } = require('./respond');
const { createApiHandler } = require('./routes');
const { SHAPING_OPTIONS, checkShapingOption, createRateLimiter } = require('./shaping');
const { publicTask, createTaskStore } = require('./tasks');
const { isObject } = require('./validate');

const DEFAULT_API_KEY = 'maxapi-emulator-key';
const DEFAULT_OPTIONS = {
	host: '127.0.0.1',
	port: 0,
	apiKey: DEFAULT_API_KEY,
	latencyMs: 3000,
	rejectLocalCallbacks: false,
	cancellable: 'non-terminal',
	httpStatusMirrorsCode: true,
	callbackRetries: 5,
	callbackRetryDelayMs: 500,
	callbackTimeoutMs: 5000,
	// Shaping (shaping.js); the defaults answer at once, without a limit, at full speed.
	apiLatencyMs: 0,
	apiJitterMs: 0,
	rateLimit: null,
	rateLimitKind: 'token-bucket',
	downloadBytesPerSecond: null,
};
// Options that may be changed while the emulator runs (configure(), POST /__emulator/options).
const RUNTIME_OPTIONS = [
	'latencyMs',
	'callbackRetries',
	'callbackRetryDelayMs',
	'callbackTimeoutMs',
	'rejectLocalCallbacks',
	...SHAPING_OPTIONS,
];

function createEmulator(options = {}) {
	const opts = {
		...DEFAULT_OPTIONS,
		// an option given as undefined keeps its default
		...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
	};
	for (const key of SHAPING_OPTIONS) checkShapingOption(key, opts[key]);
	const initialOpts = { ...opts }; // reset() goes back to these
	// Everything the parts share. The arrays and the Map are the ones the emulator object exposes, and
	// reset() empties them in place.
	const state = {
		opts,
		requests: [], // every request to /api/v1/*
		fileRequests: [], // every GET /files/... (downloads): { path, authorization }
		callbacks: [], // every callback attempt, recorded when it ends
		tasks: new Map(),
		faults: [], // injected faults, oldest first
		held: [], // answers of 'hold' faults, sent by release()
		timers: new Set(),
		answerTimers: new Set(), // see answerLater()
		outgoing: new Set(), // callback requests in flight
		generation: 0, // bumped by reset()/stop() so late callback results are dropped
		baseUrl: null,
		inFlight: 0, // API requests being answered now, and the most there have been at once
		peakInFlight: 0,
		// setTimeout that reset() and stop() can clear.
		later(fn, ms) {
			const timer = setTimeout(() => {
				state.timers.delete(timer);
				fn();
			}, ms);
			state.timers.add(timer);
		},
		// For answers already computed (API latency, delay and slow-body faults, paced downloads): reset() lets
		// them go out on schedule, so no client hangs; only stop() clears them. 0 ms runs fn at once.
		answerLater(fn, ms) {
			if (!(ms > 0)) return fn();
			const timer = setTimeout(() => {
				state.answerTimers.delete(timer);
				fn();
			}, ms);
			state.answerTimers.add(timer);
		},
	};
	const sockets = new Set(); // so stop() can drop keep-alive connections

	const deliverCallback = createCallbackSender(state);
	const taskStore = createTaskStore(state, deliverCallback);
	const faults = createFaults(state);
	const rateLimiter = createRateLimiter(opts);

	/** Changes options while running (see RUNTIME_OPTIONS); reset() restores the ones it started with. */
	function configure(changes) {
		if (!isObject(changes)) throw new TypeError('options must be an object');
		// All are checked before any is changed.
		for (const [key, value] of Object.entries(changes)) {
			if (!RUNTIME_OPTIONS.includes(key))
				throw new TypeError(`${key} cannot be changed; one of ${RUNTIME_OPTIONS.join(', ')}`);
			checkShapingOption(key, value);
		}
		Object.assign(opts, changes);
	}

	function clearBackgroundWork() {
		state.generation++;
		for (const timer of state.timers) clearTimeout(timer);
		state.timers.clear();
		for (const req of state.outgoing) req.destroy();
	}

	function reset() {
		clearBackgroundWork();
		faults.release(); // answers still held go out, so no client hangs on them
		Object.assign(opts, initialOpts);
		rateLimiter.refill();
		state.tasks.clear();
		state.requests.length = 0;
		state.fileRequests.length = 0;
		state.callbacks.length = 0;
		state.faults.length = 0;
		state.peakInFlight = state.inFlight;
	}

	async function start() {
		await new Promise((resolve, reject) =>
			server.once('error', reject).listen(opts.port, opts.host, resolve),
		);
		const { port } = server.address();
		state.baseUrl = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
		return { baseUrl: state.baseUrl, port };
	}

	async function stop() {
		clearBackgroundWork();
		for (const timer of state.answerTimers) clearTimeout(timer);
		state.answerTimers.clear();
		if (!server.listening) return;
		const closed = new Promise((resolve) => server.close(() => resolve()));
		for (const socket of sockets) socket.destroy();
		await closed;
	}

	/** Polls predicate(emulator) every 20 ms; resolves with its first truthy value. */
	async function waitFor(predicate, timeoutMs = 5000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await predicate(emulator);
			if (value) return value;
			if (Date.now() >= deadline)
				throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	const { advance, taskOrThrow } = taskStore;
	const emulator = {
		/** The options in force now (a copy). */
		get options() {
			return { ...opts };
		},
		get baseUrl() {
			return state.baseUrl;
		},
		apiKey: opts.apiKey,
		requests: state.requests,
		fileRequests: state.fileRequests,
		callbacks: state.callbacks,
		tasks: state.tasks,
		start,
		stop,
		reset,
		injectFault: faults.injectFault,
		configure,
		release: faults.release,
		heldCount: faults.heldCount,
		finishTask: taskStore.finishTask,
		/** Sends a finished task's callback once more (MaxAPI calling again), with the usual retries. */
		deliverCallback: (taskId) => deliverCallback(taskOrThrow(taskId)),
		getTask: (id) => (state.tasks.has(id) ? publicTask(advance(state.tasks.get(id))) : undefined),
		submitCount: () => state.requests.filter((r) => r.route === 'submit').length,
		/** Tasks created since start/reset() (= tasks.size: a task is never removed but by reset()). */
		tasksCreated: () => state.tasks.size,
		peakInFlight: () => state.peakInFlight,
		waitFor,
	};

	const handleApi = createApiHandler(state, taskStore, faults, rateLimiter);
	const handleFile = createFileHandler(state);
	const handleControl = createControlHandler(state, emulator, advance);
	async function handle(req, res) {
		const raw = await readBody(req); // always consume the whole body before answering
		const pathname = req.url.split('?')[0];
		if (pathname === '/api/v1' || pathname.startsWith('/api/v1/'))
			return handleApi(req, res, pathname, raw);
		if (pathname.startsWith('/__emulator/')) return handleControl(req, res, pathname, raw);
		if (pathname.startsWith('/files/')) return handleFile(req, res, pathname);
		return sendJson(res, 404, { code: 404, msg: 'not found' });
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch(() => {
			if (res.headersSent) res.destroy();
			else sendJson(res, 500, { code: 500, msg: 'internal error' });
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	return emulator;
}

module.exports = { createEmulator, DEFAULT_API_KEY };
