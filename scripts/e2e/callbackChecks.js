// The checks about waiting and callbacks that both real-n8n suites run: in one n8n process, and in queue
// mode where callbacks reach a webhook process and executions run on workers. Tasks run until a check ends
// them (mock:never, then emulator.finishTask), so what happens in which order never depends on timing.
// Each check*() declares one node:test test inside the suite's describe().
//
// ctx: { n8n: the process with the REST and public API (main), webhookBase: where MaxAPI's calls arrive,
//        emulator, credential, workers: worker processes (queue mode) or [], down() / up(): stop and
//        start the processes that take MaxAPI's calls and keep the time (main; the webhook processes) }. The suite's before() fills
//        it in after the tests are declared, so the tests read it only when they run.
const assert = require('node:assert');
const { randomUUID } = require('node:crypto');
const { test } = require('node:test');

const { waitUntil } = require('./n8n');
const {
	SECRET,
	outputOf,
	postJson,
	promptsWorkflow,
	withWaitAfter,
	maxApiNode,
	submitToEmulator,
	triggerWorkflow,
} = require('./suite');

/** Imports and activates a workflow that starts with a Webhook node, then starts it once. */
async function startByWebhook(ctx, workflow, pathName) {
	const created = await ctx.n8n.createWorkflow(workflow, ctx.credential);
	await ctx.n8n.activate(created.id);
	// Webhooks register a moment after activation: POST until the route answers.
	await waitUntil(
		async () => (await fetch(`${ctx.webhookBase}/webhook/${pathName}`, { method: 'POST' })).ok,
		{
			timeoutMs: 20_000,
			what: 'the webhook',
		},
	);
	return created;
}

async function activateTrigger(ctx, name, parameters = {}) {
	const webhookId = randomUUID();
	const created = await ctx.n8n.createWorkflow(
		triggerWorkflow(name, webhookId, parameters),
		ctx.credential,
	);
	await ctx.n8n.activate(created.id);
	const url = `${ctx.webhookBase}/webhook/${webhookId}/callback`;
	await waitUntil(async () => (await postJson(url, {})).status === 403, {
		timeoutMs: 20_000,
		what: 'the trigger webhook',
	});
	return { workflowId: created.id, url, webhookId };
}

const waitingExecution = async (ctx, workflowId) =>
	await waitUntil(async () => (await ctx.n8n.executions(workflowId, 'waiting'))[0], {
		timeoutMs: 30_000,
		what: 'a waiting execution',
	});

async function finishedExecution(ctx, id, timeoutMs = 30_000) {
	return await waitUntil(
		async () => {
			const execution = await ctx.n8n.execution(id);
			return !['new', 'running', 'waiting'].includes(execution.status) && execution;
		},
		{ timeoutMs, intervalMs: 500, what: `execution ${id} to end` },
	);
}

/** Ends a task and waits until its callback has been answered; returns the answer's HTTP status. */
async function finishTask(emulator, taskId) {
	const before = emulator.callbacks.filter((delivery) => delivery.taskId === taskId).length;
	emulator.finishTask(taskId);
	const deliveries = await waitUntil(
		() => {
			const list = emulator.callbacks.filter((delivery) => delivery.taskId === taskId);
			return list.length > before && list;
		},
		{ timeoutMs: 15_000, what: `the callback of task ${taskId}` },
	);
	return deliveries[before].status;
}

/** In queue mode: the workers that logged starting this execution (each run of it counts once). */
function workerRunsOf(ctx, executionId) {
	return ctx.workers.flatMap((worker) =>
		worker.logLines(`Worker started execution ${executionId} (`).map(() => worker.name),
	);
}

/** Waits until exactly `count` executions of the workflow exist and all have ended; returns them. */
async function endedExecutions(ctx, workflowId, count) {
	const list = await waitUntil(
		async () => {
			const found = await ctx.n8n.executions(workflowId);
			return (
				found.length >= count &&
				found.every((execution) => !['new', 'running'].includes(execution.status)) &&
				found
			);
		},
		{ timeoutMs: 30_000, what: `${count} executions to end` },
	);
	assert(list.length === count, `${list.length} executions, expected ${count}`);
	return list;
}

function checkResume(ctx) {
	test("Callback (Resume): parks, callbacks reach n8n's webhook address, forged ones change nothing, it resumes once", async () => {
		const { emulator } = ctx;
		emulator.reset();
		const workflow = promptsWorkflow(
			'e2e callback resume',
			'maxapi-e2e-resume',
			['first mock:never', 'second mock:never'],
			{
				waitForCompletion: 'callback',
				timeLimitMinutes: 10,
				pollFirstSeconds: 0,
			},
		);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-resume');
		const parked = await waitingExecution(ctx, created.id);
		const [first, second] = [...emulator.tasks.keys()];
		const resumeUrl = emulator.tasks.get(first).callBackUrl;
		const waitingUrl = `${ctx.webhookBase}/webhook-waiting/${parked.id}`;
		if (ctx.n8n.majorVersion >= 2) {
			assert(resumeUrl.startsWith(`${waitingUrl}?signature=`), `callBackUrl ${resumeUrl}`);
			const forged = await postJson(
				resumeUrl.replace(/signature=\w+/, `signature=${'0'.repeat(64)}`),
				{ code: 0, data: { taskId: first, status: 'SUCCESS' } },
			);
			assert(forged.status === 401, `wrong token answered ${forged.status}`);
		} else {
			// n8n 1.x signs no resume URL: only the node's check with the API guards it (the false
			// claim below).
			assert(resumeUrl === waitingUrl, `callBackUrl ${resumeUrl}`);
		}
		const stray = await postJson(resumeUrl, {
			code: 0,
			data: { taskId: 'not-ours', status: 'SUCCESS' },
		});
		assert(stray.status === 404, `stray task answered ${stray.status}`);
		const lie = await postJson(resumeUrl, { code: 0, data: { taskId: first, status: 'SUCCESS' } });
		assert(
			lie.status === 200 && lie.body.resumed === false,
			`a false claim answered ${lie.status} ${JSON.stringify(lie.body)}`,
		);

		assert((await finishTask(emulator, first)) === 200, 'the first callback was not answered 200');
		assert(
			(await ctx.n8n.execution(parked.id)).status === 'waiting',
			'resumed before the last task ended',
		);
		assert((await finishTask(emulator, second)) === 200, 'the last callback was not answered 200');
		const done = await finishedExecution(ctx, parked.id);
		assert(done.status === 'success', `status ${done.status}`);
		const output = outputOf(done, 'Make videos');
		assert(
			output.length === 2 && output.every((item) => item.json.status === 'SUCCESS'),
			JSON.stringify(output.map((item) => item.json)),
		);
		assert(
			output[0].json.input.prompt.startsWith('first') &&
				output[1].json.input.prompt.startsWith('second'),
			'items out of order',
		);
		const again = await postJson(resumeUrl, { code: 0, data: emulator.getTask(first) });
		assert(again.status === 409, `a copy after resuming answered ${again.status}`);
		if (ctx.workers.length > 0) {
			const runs = workerRunsOf(ctx, parked.id);
			assert(
				runs.length === 2,
				`workers that ran execution ${parked.id} (first run, resume): ${JSON.stringify(runs)}`,
			);
		}
	});
}

function checkEarlyCallback(ctx) {
	test('Callback (Resume): a task that ends while the execution is being parked (n8n answers 409) ends well when MaxAPI calls again', async () => {
		const { emulator } = ctx;
		emulator.reset();
		// MaxAPI's own retries are off, and the node's last read before parking is held: the task ends
		// meanwhile, so its callback finds the execution running; the read then says "running", as it was.
		emulator.configure({ callbackRetries: 0 });
		emulator.injectFault({ route: 'get', type: 'hold' });
		const workflow = promptsWorkflow(
			'e2e early callback',
			'maxapi-e2e-early',
			['ends meanwhile mock:never'],
			{
				waitForCompletion: 'callback',
				timeLimitMinutes: 10,
				pollFirstSeconds: 0,
			},
		);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-early');
		await waitUntil(() => emulator.heldCount() === 1, {
			timeoutMs: 30_000,
			what: 'the read before parking',
		});
		const [taskId] = [...emulator.tasks.keys()];
		const refused = await finishTask(emulator, taskId);
		assert(refused === 409, `a callback before parking answered ${refused}`);
		emulator.release();
		const parked = await waitingExecution(ctx, created.id);
		emulator.deliverCallback(taskId);
		const done = await finishedExecution(ctx, parked.id);
		assert(done.status === 'success', `status ${done.status}`);
		const [item] = outputOf(done, 'Make videos');
		assert(
			item.json.status === 'SUCCESS' && item.json.timedOut === undefined,
			JSON.stringify(item.json),
		);
		const statuses = emulator.callbacks.map((delivery) => delivery.status);
		assert(JSON.stringify(statuses) === '[409,200]', `callbacks answered ${statuses}`);
	});
}

/** Webhook → Prompts → Submit (Callback) → "Wait for the rest" (the Wait operation, as the README advises). */
function callbackThenWaitWorkflow(name, pathName, prompts, parameters) {
	const workflow = promptsWorkflow(name, pathName, prompts, {
		waitForCompletion: 'callback',
		pollFirstSeconds: 0,
		...parameters,
	});
	return withWaitAfter(workflow, 'Wait for the rest', 5);
}

/** Ends a task while n8n is down, and waits until MaxAPI (the emulator) has given up calling back. */
async function finishWhileDown(emulator, taskId) {
	emulator.finishTask(taskId);
	await waitUntil(
		() =>
			emulator.callbacks.filter((delivery) => delivery.taskId === taskId && delivery.error).length >
			emulator.options.callbackRetries,
		{ timeoutMs: 60_000, what: `MaxAPI to give up calling back for ${taskId}` },
	);
}

function checkRestart(ctx) {
	test('Callback (Resume) across a restart of n8n: later callbacks resume it once, nothing is submitted again, a callback lost meanwhile is read', async () => {
		const { emulator } = ctx;
		emulator.reset();
		const workflow = promptsWorkflow(
			'e2e callback restart',
			'maxapi-e2e-restart',
			['a mock:never', 'b mock:never', 'c mock:never'],
			{ waitForCompletion: 'callback', timeLimitMinutes: 10, pollFirstSeconds: 0 },
		);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-restart');
		const parked = await waitingExecution(ctx, created.id);
		const [a, b, c] = [...emulator.tasks.keys()];
		assert((await finishTask(emulator, a)) === 200, "a's callback was not answered 200");
		await ctx.down();
		await finishWhileDown(emulator, c); // c's callback is lost
		await ctx.up();
		const answered = await finishTask(emulator, b);
		const attempts = emulator.callbacks.filter((delivery) => delivery.taskId === b);
		assert(answered === 200, `b's callback: ${JSON.stringify(attempts)}`);
		const done = await finishedExecution(ctx, parked.id);
		assert(done.status === 'success', `status ${done.status}`);
		const output = outputOf(done, 'Make videos').map((item) => item.json);
		assert(
			output.map((json) => `${json.input.prompt.split(' ')[0]}:${json.status}`).join() ===
				'a:SUCCESS,b:SUCCESS,c:SUCCESS',
			JSON.stringify(output),
		);
		assert(emulator.submitCount() === 3, `${emulator.submitCount()} submits`);
		await endedExecutions(ctx, created.id, 1);
	});
}

function checkTimeLimit(ctx) {
	test('Callback (Resume) time limit, the last callback lost while n8n was down: the items say which did not finish, and a Wait after the node reads it', async () => {
		const { emulator } = ctx;
		emulator.reset();
		const workflow = callbackThenWaitWorkflow(
			'e2e callback time limit',
			'maxapi-e2e-time-limit',
			['quick mock:latency=0', 'lost mock:never'],
			{ timeLimitMinutes: 1 },
		);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-time-limit');
		const parked = await waitingExecution(ctx, created.id);
		const [, lost] = [...emulator.tasks.keys()];
		await ctx.down();
		await finishWhileDown(emulator, lost);
		await ctx.up();
		// n8n looks at waiting executions once a minute, so the 1-minute limit ends within about two.
		const done = await finishedExecution(ctx, parked.id, 180_000);
		assert(done.status === 'success', `status ${done.status}`);
		const [quick, timedOut] = outputOf(done, 'Make videos').map((item) => item.json);
		assert(
			quick.status === 'SUCCESS' && quick.timedOut === undefined,
			`quick: ${JSON.stringify(quick)}`,
		);
		assert(
			timedOut.finished === false &&
				timedOut.timedOut === true &&
				timedOut.taskId === lost &&
				/Wait operation/.test(timedOut.message),
			`lost: ${JSON.stringify(timedOut)}`,
		);
		const recovered = outputOf(done, 'Wait for the rest').map((item) => item.json.status);
		assert(recovered.join() === 'SUCCESS,SUCCESS', `Wait for the rest: ${recovered}`);
		assert(emulator.submitCount() === 2, `${emulator.submitCount()} submits`);
		if (ctx.workers.length > 0) {
			const runs = workerRunsOf(ctx, parked.id);
			assert(runs.length === 2, `workers that ran execution ${parked.id}: ${JSON.stringify(runs)}`);
		}
	});
}

function checkTrigger(ctx) {
	test('MaxApi Trigger: one execution per finished task; wrong secret, malformed body, unknown task and a copy start none', async () => {
		const { emulator } = ctx;
		emulator.reset();
		const { workflowId, url } = await activateTrigger(ctx, 'e2e trigger');
		const taskIds = [
			await submitToEmulator(emulator, 'one mock:never', `${url}?secret=${SECRET}`),
			await submitToEmulator(emulator, 'two mock:never', `${url}?secret=${SECRET}`),
		];
		for (const taskId of taskIds)
			assert(
				(await finishTask(emulator, taskId)) === 200,
				`callback of ${taskId} was not answered 200`,
			);
		// n8n creates an execution before it answers the call that started it, so the count is final here.
		const executions = await endedExecutions(ctx, workflowId, 2);
		const started = executions
			.map((execution) => outputOf(execution, 'MaxApi Trigger')[0].json.taskId)
			.sort();
		assert(JSON.stringify(started) === JSON.stringify([...taskIds].sort()), `tasks ${started}`);

		const envelope = { code: 0, msg: 'ok', data: emulator.getTask(taskIds[0]) };
		assert(
			(await postJson(`${url}?secret=wrong`, envelope)).status === 403,
			'a wrong secret was not refused',
		);
		assert(
			(await postJson(`${url}?secret=${SECRET}`, '{"code":0,"data":{"taskId":"abc"}}')).status ===
				400,
			'a malformed body was not refused',
		);
		const unknown = await postJson(`${url}?secret=${SECRET}`, {
			code: 0,
			data: { taskId: 'no-such-task', status: 'SUCCESS' },
		});
		assert(unknown.status === 404, `an unknown task answered ${unknown.status}`);
		const copy = await postJson(`${url}?secret=${SECRET}`, envelope);
		assert(
			copy.status === 200 && copy.body.started === false && copy.body.reason === 'duplicate',
			`a copy answered ${JSON.stringify(copy)}`,
		);
		await endedExecutions(ctx, workflowId, 2);
		if (ctx.workers.length > 0) {
			for (const execution of executions) {
				assert(
					workerRunsOf(ctx, execution.id).length === 1,
					`execution ${execution.id} did not run on a worker`,
				);
			}
		}
	});
}

/** Copies of one finished task's callback, all sent at once to `target` (default: ctx.webhookBase). */
function checkOverlappingCopies(ctx, { copies = 20, downloadResults = false } = {}) {
	const name = `MaxApi Trigger: ${copies} copies of one callback at once, with a slow API read${downloadResults ? ' and Download Result Files' : ''}, start one execution`;
	test(name, async () => {
		const { emulator } = ctx;
		emulator.reset();
		const { workflowId, url } = await activateTrigger(ctx, `e2e ${copies} copies`, {
			downloadResults,
		});
		const taskId = await submitToEmulator(emulator, 'copied mock:never');
		emulator.finishTask(taskId);
		emulator.injectFault({ route: 'get', type: 'delay', delayMs: 500, count: 1000 });
		const envelope = { code: 0, msg: 'ok', data: emulator.getTask(taskId) };
		const answers = await Promise.all(
			Array.from(
				{ length: copies },
				async () => await postJson(`${url}?secret=${SECRET}`, envelope),
			),
		);
		const started = answers.filter(
			(answer) => answer.status === 200 && answer.body?.started === true,
		).length;
		const duplicates = answers.filter(
			(answer) => answer.status === 200 && answer.body?.reason === 'duplicate',
		).length;
		assert(
			started === 1 && duplicates === copies - 1,
			`answers: ${JSON.stringify(answers.map((answer) => [answer.status, answer.body]))}`,
		);
		const [execution] = await endedExecutions(ctx, workflowId, 1);
		assert(execution.status === 'success', `status ${execution.status}`);
		const reads = emulator.requests.filter((request) => request.route === 'get').length;
		assert(reads === 1, `${reads} API reads for ${copies} copies`);
		if (downloadResults) {
			const [item] = outputOf(execution, 'MaxApi Trigger');
			assert(item.binary?.data?.mimeType === 'video/mp4', 'binary data missing');
			assert(emulator.fileRequests.length === 1, `${emulator.fileRequests.length} downloads`);
		}
	});
}

module.exports = {
	startByWebhook,
	waitingExecution,
	activateTrigger,
	finishedExecution,
	endedExecutions,
	finishTask,
	workerRunsOf,
	checkResume,
	checkEarlyCallback,
	checkRestart,
	checkTimeLimit,
	checkTrigger,
	checkOverlappingCopies,
};
