'use strict';
// Fault injection: a queue of faults, each used by the next matching /api/v1 requests, and how each fault
// type changes the answer (an error status, a lost connection, a slow, late or held answer). sendReply() also
// applies the API latency (shaping.js) to every /api/v1 answer.
const http = require('node:http');
const { jsonHeaders, sendJson } = require('./respond');
const { isObject } = require('./validate');

const FAULT_ROUTES = ['submit', 'get', 'cancel', 'any'];
const FAULT_TYPES = ['status', 'reset', 'slow-body', 'envelope', 'delay', 'hold'];
const STATUS_MSGS = { 429: 'rate limited', 500: 'internal error' }; // others: Node's reason phrase, lower-cased

/** Checks a fault and fills in its defaults; throws a TypeError naming the bad field. */
function normalizeFault(fault) {
	if (!isObject(fault)) throw new TypeError('fault must be an object');
	const { route = 'any', type, count = 1 } = fault;
	if (!FAULT_ROUTES.includes(route))
		throw new TypeError(`fault.route must be one of ${FAULT_ROUTES.join(', ')}`);
	if (!FAULT_TYPES.includes(type))
		throw new TypeError(`fault.type must be one of ${FAULT_TYPES.join(', ')}`);
	if (!Number.isInteger(count) || count < 1)
		throw new TypeError('fault.count must be a positive integer');
	if (
		type === 'status' &&
		!(Number.isInteger(fault.status) && fault.status >= 400 && fault.status < 600)
	) {
		throw new TypeError('fault.status must be an HTTP error status (400-599)');
	}
	if (
		(type === 'slow-body' || type === 'delay') &&
		!(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)
	) {
		throw new TypeError('fault.delayMs must be a non-negative number');
	}
	if (type === 'envelope' && !Number.isInteger(fault.code))
		throw new TypeError('fault.code must be an integer');
	if (fault.processed !== undefined && (type !== 'status' || typeof fault.processed !== 'boolean'))
		throw new TypeError('fault.processed is a boolean, for status faults only');
	return { ...fault, route, count };
}

/** Fault queue on state.faults and held answers on state.held. */
function createFaults(state) {
	const { faults, held } = state;

	function injectFault(fault) {
		faults.push(normalizeFault(fault));
	}

	// The oldest fault for this route (or 'any') gives up one count.
	function takeFault(route) {
		const index = faults.findIndex((f) => f.route === 'any' || f.route === route);
		if (index === -1) return null;
		const fault = faults[index];
		if (--fault.count === 0) faults.splice(index, 1);
		return fault;
	}

	/** Sends every answer held by a 'hold' fault; returns how many. */
	function release() {
		const waiting = held.splice(0);
		for (const sendHeld of waiting) sendHeld();
		return waiting.length;
	}

	/**
	 * The reply ({ status, body, headers? }) of a fault that answers instead of the route, before anything is
	 * processed, or null. A reset get/cancel has no reply: { status: null }.
	 */
	function replyInstead(fault, route) {
		if (fault?.type === 'status' && !fault.processed) return statusReply(fault);
		if (fault?.type === 'envelope')
			return { status: 200, body: { code: fault.code, msg: fault.msg ?? 'error' } };
		// A reset submit still creates the task (see sendReply): the request reached the server, only the answer is lost.
		if (fault?.type === 'reset' && route !== 'submit') return { status: null };
		return null;
	}

	/** A status fault with processed: true answers its status after the route has run (a submit made its task). */
	function replyAfter(fault, reply) {
		return fault?.type === 'status' && fault.processed ? statusReply(fault) : reply;
	}

	function statusReply(fault) {
		const msg =
			STATUS_MSGS[fault.status] ?? (http.STATUS_CODES[fault.status] ?? 'error').toLowerCase();
		const headers =
			fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
		return { status: fault.status, body: { code: fault.status, msg }, headers };
	}

	/**
	 * Sends a reply computed at arrival as the fault (or none) says, once waitMs (the API latency) has passed:
	 * reset drops the connection then, slow-body starts its headers then, delay adds its delayMs. A held answer
	 * goes out when released, without the API latency on top.
	 */
	function sendReply(fault, req, res, reply, waitMs = 0) {
		const send = () => {
			if (!res.destroyed) sendJson(res, reply.status, reply.body, reply.headers);
		};
		if (fault?.type === 'hold') return held.push(send);
		if (fault?.type === 'reset') return state.answerLater(() => req.socket.destroy(), waitMs);
		if (fault?.type === 'slow-body')
			return state.answerLater(() => sendSlowly(res, reply, fault.delayMs), waitMs);
		// delay (like hold) answers with the state at arrival, as a slow API or network would.
		const extraMs = fault?.type === 'delay' ? fault.delayMs : 0;
		return state.answerLater(send, waitMs + extraMs);
	}

	// Headers at once, then the body in 10 pieces spread over delayMs. Each piece schedules the next: timers
	// of different lengths that are both overdue (a busy event loop) may fire in either order.
	function sendSlowly(res, reply, delayMs) {
		if (res.destroyed) return;
		const data = Buffer.from(JSON.stringify(reply.body));
		res.writeHead(reply.status, { ...jsonHeaders(data), ...reply.headers });
		res.flushHeaders();
		const pieces = 10;
		const size = Math.ceil(data.length / pieces);
		const sendPiece = (i) => {
			if (res.destroyed) return;
			const part = data.subarray(i * size, (i + 1) * size);
			if (i === pieces - 1) return res.end(part);
			res.write(part);
			state.answerLater(() => sendPiece(i + 1), delayMs / pieces);
		};
		state.answerLater(() => sendPiece(0), delayMs / pieces);
	}

	return {
		replyAfter,
		injectFault,
		takeFault,
		release,
		heldCount: () => held.length,
		replyInstead,
		sendReply,
	};
}

module.exports = { createFaults, normalizeFault };
