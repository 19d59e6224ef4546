'use strict';
// Task records: creation from a submit, the status each read sees (derived from the task's age), results,
// and the one place where a task ends.
const crypto = require('node:crypto');
const { MODELS } = require('./models');

const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'TIMEOUT', 'CANCELLED']);
// Share of the task latency after which each non-terminal status starts (checked from the end).
const PHASES = [
	[0.5, 'SUBMITTED'],
	[0.2, 'PROCESSING'],
	[0, 'PENDING'],
];

const iso = (ms) => new Date(ms).toISOString();

/** Reads the scenario keywords (mock:...) out of a prompt. */
function scenarioFromPrompt(prompt, defaultLatencyMs) {
	const latency = /mock:latency=(\d+)/.exec(prompt);
	const fail = /mock:fail(?:=(\w+))?/.exec(prompt);
	let outcome = { status: 'SUCCESS', reason: null };
	if (prompt.includes('mock:never')) outcome = null;
	else if (prompt.includes('mock:timeout')) outcome = { status: 'TIMEOUT', reason: null };
	else if (fail) outcome = { status: 'FAILURE', reason: fail[1] ?? null };
	return { latencyMs: latency ? Number(latency[1]) : defaultLatencyMs, outcome };
}

/** The task as GET /api/v1/task/:id shows it: a copy, without callBackUrl, user_id and the scenario. */
function publicTask(task) {
	const { taskId, status, input, result, failure_reason, created_at, updated_at } = task;
	return structuredClone({ taskId, status, input, result, failure_reason, created_at, updated_at });
}

/** Task operations on state.tasks; deliverCallback(task) is called once each time a task ends. */
function createTaskStore(state, deliverCallback) {
	const { tasks } = state;

	function resultFor(task) {
		const base = `${state.baseUrl}/files/${task.taskId}`;
		// mock:resultBytes=N: a video result of exactly N bytes, streamed (for memory benchmarks).
		const large = /mock:resultBytes=(\d+)/.exec(String(task.input.prompt));
		if (large) return { type: 'video', urls: [`${state.baseUrl}/files/large/${large[1]}.mp4`] };
		if (MODELS[task.input.model].output === 'video')
			return { type: 'video', urls: [`${base}/0.mp4`] };
		const n = Number.isInteger(task.input.n) && task.input.n > 0 ? task.input.n : 1;
		return { type: 'image', urls: Array.from({ length: n }, (_, i) => `${base}/${i}.png`) };
	}

	// The single place where a task becomes terminal, so each outcome triggers exactly one callback.
	function finish(task, status, reason, atMs) {
		task.status = status;
		task.updated_at = iso(atMs);
		task.failure_reason = status === 'FAILURE' ? reason : null;
		task.result = status === 'SUCCESS' ? resultFor(task) : null;
		deliverCallback(task);
		return task;
	}

	// Status is derived from the age of the task, so every read is exact even between timer ticks.
	function advance(task, now = Date.now()) {
		if (TERMINAL.has(task.status)) return task;
		const age = now - task.submittedAt;
		if (task.outcome && age >= task.latencyMs) {
			return finish(
				task,
				task.outcome.status,
				task.outcome.reason,
				task.submittedAt + task.latencyMs,
			);
		}
		const [share, status] = PHASES.find(([start]) => age >= start * task.latencyMs);
		if (status !== task.status) {
			task.status = status;
			task.updated_at = iso(task.submittedAt + share * task.latencyMs);
		}
		return task;
	}

	function createTask(body) {
		const now = Date.now();
		const task = {
			taskId: crypto.randomUUID(),
			status: 'PENDING',
			input: { ...body.input, model: body.model },
			result: null,
			failure_reason: null,
			created_at: iso(now),
			updated_at: iso(now),
			callBackUrl: body.callBackUrl,
			user_id: body.user_id,
			submittedAt: now,
			...scenarioFromPrompt(body.input.prompt, state.opts.latencyMs),
		};
		tasks.set(task.taskId, task);
		if (task.outcome) {
			// Timers may fire a hair early; never let that make the task look younger than its latency.
			state.later(
				() => advance(task, Math.max(Date.now(), task.submittedAt + task.latencyMs)),
				task.latencyMs,
			);
		}
		return task;
	}

	function taskOrThrow(taskId) {
		const task = tasks.get(taskId);
		if (!task) throw new TypeError(`no task ${taskId}`);
		return task;
	}

	/** Ends a running task now (e.g. a mock:never one), with its callback. Default outcome: SUCCESS. */
	function finishTask(taskId, { status = 'SUCCESS', reason = null } = {}) {
		const task = advance(taskOrThrow(taskId));
		if (!TERMINAL.has(status))
			throw new TypeError(`status must be one of ${[...TERMINAL].join(', ')}`);
		if (TERMINAL.has(task.status))
			throw new TypeError(`task ${taskId} has already ended (${task.status})`);
		return publicTask(finish(task, status, reason, Date.now()));
	}

	return { createTask, advance, finish, taskOrThrow, finishTask };
}

module.exports = { TERMINAL, publicTask, createTaskStore };
