'use strict';
// The MaxAPI routes under /api/v1: the request log, auth, the rate limit, faults, then submit, get or cancel;
// each answer is computed at arrival and sent after the API latency.
const { parseJson } = require('./respond');
const { apiDelayMs } = require('./shaping');
const { TERMINAL, publicTask } = require('./tasks');
const { validateSubmit } = require('./validate');

const MODERATION_CATEGORIES = [
	'harassment',
	'harassment/threatening',
	'sexual',
	'hate',
	'hate/threatening',
	'illicit',
	'illicit/violent',
	'self-harm',
	'self-harm/intent',
	'self-harm/instructions',
	'sexual/minors',
	'violence',
	'violence/graphic',
];
// The mock:moderation answer flags violence, like a typical documented block.
const moderationData = () => ({
	flagged: true,
	categories: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, c.startsWith('violence')])),
});

function classifyApiRoute(method, pathname) {
	if (method === 'POST' && pathname === '/api/v1/task/submit') return { route: 'submit' };
	const match = /^\/api\/v1\/task\/([^/]+)(\/cancel)?$/.exec(pathname);
	// Task ids are UUIDs, which URL-encoding leaves unchanged, so the raw path segment is the id.
	if (match && method === (match[2] ? 'POST' : 'GET'))
		return { route: match[2] ? 'cancel' : 'get', taskId: match[1] };
	return { route: 'unknown' };
}

/** Returns handleApi(req, res, pathname, raw) for every request under /api/v1. */
function createApiHandler(state, taskStore, faults, rateLimiter) {
	const { opts, tasks, requests } = state;
	const { createTask, advance, finish } = taskStore;

	const ok = (data) => ({
		status: 200,
		body: { code: 0, msg: 'ok', ...(data !== undefined && { data }) },
	});
	const fail = (code, msg, data) => ({
		status: opts.httpStatusMirrorsCode ? code : 200,
		body: { code, msg, ...(data !== undefined && { data }) },
	});

	// Each returns { status, body, headers? } and sends nothing itself, so a fault can decide how it is sent.
	const routes = {
		submit(parsed) {
			if (!parsed.valid) return fail(400, 'invalid JSON body');
			const problem = validateSubmit(parsed.value, opts.rejectLocalCallbacks);
			if (problem) return fail(400, problem);
			if (parsed.value.input.prompt.includes('mock:moderation')) {
				return fail(400, 'content rejected by moderation', moderationData());
			}
			return ok({ taskId: createTask(parsed.value).taskId });
		},
		get(parsed, taskId) {
			const task = tasks.get(taskId);
			return task ? ok(publicTask(advance(task))) : fail(404, 'task not found');
		},
		cancel(parsed, taskId) {
			const task = tasks.get(taskId);
			if (!task) return fail(404, 'task not found');
			const { status } = advance(task);
			const cancellable =
				opts.cancellable === 'pending' ? status === 'PENDING' : !TERMINAL.has(status);
			if (!cancellable) return fail(400, `task cannot be cancelled in status ${status}`);
			finish(task, 'CANCELLED', null, Date.now());
			return ok();
		},
		unknown: () => fail(404, 'not found'),
	};

	/**
	 * The reply to a request, and the fault it used. In this order: an unauthorized request gets 401 without
	 * using a token (the limit is per key, and it has none); over the rate limit it gets 429 and nothing is
	 * processed; only then does a request use up a fault, and the route runs unless the fault answers instead.
	 */
	function answer(route, parsed, taskId, authorized) {
		if (!authorized) return { fault: null, reply: fail(401, 'unauthorized') };
		const retryAfter = rateLimiter.take();
		if (retryAfter !== null) {
			// Always the real HTTP status, like a status fault.
			const headers = { 'retry-after': String(retryAfter) };
			return {
				fault: null,
				reply: { status: 429, body: { code: 429, msg: 'rate limited' }, headers },
				limited: true,
			};
		}
		const fault = faults.takeFault(route);
		const instead = faults.replyInstead(fault, route);
		return {
			fault,
			reply: instead ?? faults.replyAfter(fault, routes[route](parsed, taskId)),
			limited: false,
		};
	}

	return function handleApi(req, res, pathname, raw) {
		const { route, taskId } = classifyApiRoute(req.method, pathname);
		const parsed = parseJson(raw);
		const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
		const authorized = match !== null && match[1].trim() === opts.apiKey;
		// The log never holds the key, only whether it was right.
		const entry = {
			method: req.method,
			path: pathname,
			route,
			...(taskId && { taskId }),
			body: parsed.value,
			authorized,
			at: Date.now(),
			status: null, // the HTTP status of the answer, set below; stays null for a dropped connection
		};
		requests.push(entry);
		// In flight until the answer has been sent (after the API latency) or the connection is gone.
		state.inFlight++;
		state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
		res.on('close', () => state.inFlight--);

		const { fault, reply, limited } = answer(route, parsed, taskId, authorized);
		if (limited === false) res.on('close', rateLimiter.release);
		entry.status = fault?.type === 'reset' ? null : reply.status;
		faults.sendReply(fault, req, res, reply, apiDelayMs(opts));
	};
}

module.exports = { createApiHandler };
