'use strict';
// Callback delivery: POSTs a task to its callBackUrl and retries a failed attempt with a doubling delay.
const http = require('node:http');
const https = require('node:https');
const { publicTask } = require('./tasks');

/**
 * Resolves with the HTTP status of one POST and the start of the answer; rejects on a network error or
 * after timeoutMs without answer.
 */
function postJson(url, payload, timeoutMs, outgoing) {
	return new Promise((resolve, reject) => {
		const client = url.startsWith('https:') ? https : http;
		const headers = {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(payload),
		};
		// agent: false = one connection per attempt, so no pooled keep-alive socket outlives stop().
		const req = client.request(url, { method: 'POST', headers, agent: false }, (res) => {
			let answer = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (answer = (answer + chunk).slice(0, 300)));
			res.on('end', () => resolve({ status: res.statusCode, answer }));
		});
		outgoing.add(req); // so stop() and reset() can abort it
		req.on('close', () => outgoing.delete(req));
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(payload);
	});
}

/** Returns deliverCallback(task): sends the task as it is now, recording each attempt in state.callbacks. */
function createCallbackSender(state) {
	const { opts, callbacks } = state;
	return function deliverCallback(task) {
		if (!task.callBackUrl) return;
		const payload = JSON.stringify({ code: 0, msg: 'ok', data: publicTask(task) });
		const myGeneration = state.generation;
		const attempt = async (number) => {
			const at = Date.now();
			const outcome = await postJson(
				task.callBackUrl,
				payload,
				opts.callbackTimeoutMs,
				state.outgoing,
			).then(
				(answered) => answered,
				(err) => ({ error: err.message }),
			);
			if (myGeneration !== state.generation) return; // reset() or stop() came in between
			callbacks.push({
				taskId: task.taskId,
				url: task.callBackUrl,
				attempt: number,
				...outcome,
				at,
			});
			const delivered = outcome.status >= 200 && outcome.status < 300;
			if (!delivered && number <= opts.callbackRetries) {
				state.later(() => attempt(number + 1), opts.callbackRetryDelayMs * 2 ** (number - 1));
			}
		};
		attempt(1);
	};
}

module.exports = { createCallbackSender };
