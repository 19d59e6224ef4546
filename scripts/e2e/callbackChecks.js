// The checks about waiting and callbacks that both real-n8n suites run: in one n8n process, and in queue
// mode where callbacks reach a webhook process and executions run on workers. Tasks run until a check ends
// them (mock:never, then emulator.finishTask), so what happens in which order never depends on timing.
// Each check*() declares, inside the suite's describe(), one node:test test per behaviour; the tests of one
// scenario share its steps (sharedStep), which run once, in the first test that needs them.
//
// ctx: { n8n: the process with the REST and public API (main), webhookBase: where MaxAPI's calls arrive,
//        emulator, credential, workers: worker processes (queue mode) or [], down() / up(): stop and
//        start the processes that take MaxAPI's calls and keep the time (main; the webhook processes),
//        queueMode: whether the suite runs queue mode (known when the tests are declared) }. The suite's
//        before() fills in the rest after the tests are declared, so the tests read it only when they run.
const assert = require('node:assert');
const { test } = require('node:test');

const {
	startByWebhook,
	activateTrigger,
	waitingExecution,
	finishedExecution,
	finishTask,
	finishWhileDown,
	workerRunsOf,
	executionsEnded,
	endedExecutions,
} = require('./executions');
const { n8nMajorVersion } = require('./install');
const {
	SECRET,
	outputOf,
	postJson,
	promptsWorkflow,
	withWaitAfter,
	sharedStep,
	submitToEmulator,
} = require('./suite');
const { waitUntil } = require('./waitUntil');

/** Webhook → Prompts → Submit with Callback (Resume), parking at once. */
const callbackWorkflow = (name, pathName, prompts, parameters) =>
	promptsWorkflow(name, pathName, prompts, {
		waitForCompletion: 'callback',
		timeLimitMinutes: 10,
		pollFirstSeconds: 0,
		...parameters,
	});

/** `first:SUCCESS,second:SUCCESS`: each item's first prompt word and status, in output order. */
const promptsAndStatuses = (execution) =>
	outputOf(execution, 'Make videos')
		.map((item) => `${item.json.input.prompt.split(' ')[0]}:${item.json.status}`)
		.join();

function checkResume(ctx) {
	const name = 'Callback (Resume)';
	const parked = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		const workflow = callbackWorkflow('e2e callback resume', 'maxapi-e2e-resume', [
			'first mock:never',
			'second mock:never',
		]);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-resume');
		const execution = await waitingExecution(ctx, created.id);
		const [first, second] = [...emulator.tasks.keys()];
		return {
			execution,
			first,
			second,
			submits: emulator.submitCount(),
			resumeUrl: emulator.tasks.get(first).callBackUrl,
			waitingUrl: `${ctx.webhookBase}/webhook-waiting/${execution.id}`,
		};
	});
	const firstCallback = sharedStep(async () => {
		const { execution, first } = await parked();
		const answer = await finishTask(ctx.emulator, first);
		return { answer, statusAfter: (await ctx.n8n.execution(execution.id)).status };
	});
	const resumed = sharedStep(async () => {
		const { execution, second } = await parked();
		await firstCallback();
		const answer = await finishTask(ctx.emulator, second);
		return { answer, done: await finishedExecution(ctx, execution.id) };
	});
	const signed = n8nMajorVersion() >= 2;

	test(`${name}: the batch parks, its execution waiting once every task is submitted`, async () => {
		const { execution, submits } = await parked();
		assert(
			execution.status === 'waiting' && submits === 2,
			`${execution.status}, ${submits} submits`,
		);
	});

	test(`${name}: MaxAPI is given the execution's resume URL on n8n's webhook address${signed ? ', signed' : ''}`, async () => {
		const { resumeUrl, waitingUrl } = await parked();
		// n8n 1.x signs no resume URL: only the node's check with the API guards it (see the false claim).
		if (signed)
			assert(resumeUrl.startsWith(`${waitingUrl}?signature=`), `callBackUrl ${resumeUrl}`);
		else assert(resumeUrl === waitingUrl, `callBackUrl ${resumeUrl}`);
	});

	if (signed)
		test(`${name}: a callback with a forged signature is refused (401)`, async () => {
			const { resumeUrl, first } = await parked();
			const forged = await postJson(
				resumeUrl.replace(/signature=\w+/, `signature=${'0'.repeat(64)}`),
				{ code: 0, data: { taskId: first, status: 'SUCCESS' } },
			);
			assert(forged.status === 401, `wrong token answered ${forged.status}`);
		});

	test(`${name}: a callback for a task the batch did not submit is refused (404)`, async () => {
		const { resumeUrl } = await parked();
		const stray = await postJson(resumeUrl, {
			code: 0,
			data: { taskId: 'not-ours', status: 'SUCCESS' },
		});
		assert(stray.status === 404, `stray task answered ${stray.status}`);
	});

	test(`${name}: a callback falsely saying a task succeeded resumes nothing (the node asks the API)`, async () => {
		const { resumeUrl, first } = await parked();
		const lie = await postJson(resumeUrl, { code: 0, data: { taskId: first, status: 'SUCCESS' } });
		assert(
			lie.status === 200 && lie.body.resumed === false,
			`a false claim answered ${lie.status} ${JSON.stringify(lie.body)}`,
		);
	});

	test(`${name}: the first task's callback is answered and the execution waits on for the last`, async () => {
		const { answer, statusAfter } = await firstCallback();
		assert(answer === 200, `the first callback was answered ${answer}`);
		assert(statusAfter === 'waiting', `resumed before the last task ended: ${statusAfter}`);
	});

	test(`${name}: the last task's callback resumes it, every item finished and in input order`, async () => {
		const { answer, done } = await resumed();
		assert(answer === 200, `the last callback was answered ${answer}`);
		assert(done.status === 'success', `status ${done.status}`);
		const items = promptsAndStatuses(done);
		assert(items === 'first:SUCCESS,second:SUCCESS', items);
	});

	test(`${name}: a copy of a callback after the resume is refused (409)`, async () => {
		const { resumeUrl, first } = await parked();
		await resumed();
		const again = await postJson(resumeUrl, { code: 0, data: ctx.emulator.getTask(first) });
		assert(again.status === 409, `a copy after resuming answered ${again.status}`);
	});

	if (ctx.queueMode)
		test(`${name}, queue mode: workers run the execution twice, its first run and the resume`, async () => {
			const { execution } = await parked();
			await resumed();
			const runs = workerRunsOf(ctx, execution.id);
			assert(
				runs.length === 2,
				`workers that ran execution ${execution.id}: ${JSON.stringify(runs)}`,
			);
		});
}

function checkEarlyCallback(ctx) {
	const name = 'Callback (Resume), a task that ends while the execution is being parked';
	const refusedEarly = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		// MaxAPI's own retries are off, and the node's last read before parking is held: the task ends
		// meanwhile, so its callback finds the execution running; the read then says "running", as it was.
		emulator.configure({ callbackRetries: 0 });
		emulator.injectFault({ route: 'get', type: 'hold' });
		const workflow = callbackWorkflow('e2e early callback', 'maxapi-e2e-early', [
			'ends meanwhile mock:never',
		]);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-early');
		await waitUntil(() => emulator.heldCount() === 1, {
			timeoutMs: 30_000,
			what: 'the read before parking',
		});
		const [taskId] = [...emulator.tasks.keys()];
		return { created, taskId, answer: await finishTask(emulator, taskId) };
	});

	test(`${name}: n8n refuses its callback (409)`, async () => {
		const { answer } = await refusedEarly();
		assert(answer === 409, `a callback before parking answered ${answer}`);
	});

	test(`${name}: MaxAPI's next call resumes the execution with the task finished`, async () => {
		const { emulator } = ctx;
		const { created, taskId } = await refusedEarly();
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

function checkRestart(ctx) {
	const name = 'Callback (Resume) across a restart of n8n';
	const resumedAfterRestart = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		const workflow = callbackWorkflow('e2e callback restart', 'maxapi-e2e-restart', [
			'a mock:never',
			'b mock:never',
			'c mock:never',
		]);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-restart');
		const parked = await waitingExecution(ctx, created.id);
		const [a, b, c] = [...emulator.tasks.keys()];
		const answerBefore = await finishTask(emulator, a);
		await ctx.down();
		await finishWhileDown(emulator, c); // c's callback is lost
		await ctx.up();
		const answerAfter = await finishTask(emulator, b);
		const attemptsAfter = emulator.callbacks.filter((delivery) => delivery.taskId === b);
		const done = await finishedExecution(ctx, parked.id);
		return { created, answerBefore, answerAfter, attemptsAfter, done };
	});

	test(`${name}: a callback after the restart is answered and resumes the execution`, async () => {
		const { answerBefore, answerAfter, attemptsAfter, done } = await resumedAfterRestart();
		assert(answerBefore === 200, `the callback before the restart was answered ${answerBefore}`);
		assert(answerAfter === 200, `the callback after it: ${JSON.stringify(attemptsAfter)}`);
		assert(done.status === 'success', `status ${done.status}`);
	});

	test(`${name}: the task whose callback was lost meanwhile is read, every item in order`, async () => {
		const items = promptsAndStatuses((await resumedAfterRestart()).done);
		assert(items === 'a:SUCCESS,b:SUCCESS,c:SUCCESS', items);
	});

	test(`${name}: nothing is submitted again`, async () => {
		await resumedAfterRestart();
		assert(ctx.emulator.submitCount() === 3, `${ctx.emulator.submitCount()} submits`);
	});

	test(`${name}: it resumes once (one execution)`, async () => {
		const { created } = await resumedAfterRestart();
		await endedExecutions(ctx, created.id, 1);
	});
}

function checkTimeLimit(ctx) {
	const name = 'Callback (Resume) time limit, the last callback lost while n8n was down';
	const endedAtLimit = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		// Submit (Callback) → "Wait for the rest" (the Wait operation, as the README advises).
		const workflow = withWaitAfter(
			callbackWorkflow(
				'e2e callback time limit',
				'maxapi-e2e-time-limit',
				['quick mock:latency=0', 'lost mock:never'],
				{ timeLimitMinutes: 1 },
			),
			'Wait for the rest',
			5,
		);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-time-limit');
		const parked = await waitingExecution(ctx, created.id);
		const [, lost] = [...emulator.tasks.keys()];
		await ctx.down();
		await finishWhileDown(emulator, lost);
		await ctx.up();
		// n8n looks at waiting executions once a minute, so the 1-minute limit ends within about two.
		return { parked, lost, done: await finishedExecution(ctx, parked.id, 180_000) };
	});
	/** The items of the node that timed out: the quick task's, then the lost one's. */
	const itemsAtLimit = async () =>
		outputOf((await endedAtLimit()).done, 'Make videos').map((item) => item.json);

	test(`${name}: the execution ends at the limit and goes on`, async () => {
		const { done } = await endedAtLimit();
		assert(done.status === 'success', `status ${done.status}`);
	});

	test(`${name}: the finished task's item comes out as it finished`, async () => {
		const [quick] = await itemsAtLimit();
		assert(
			quick.status === 'SUCCESS' && quick.timedOut === undefined,
			`quick: ${JSON.stringify(quick)}`,
		);
	});

	test(`${name}: the lost task's item says it did not finish and names the Wait operation`, async () => {
		const { lost } = await endedAtLimit();
		const [, timedOut] = await itemsAtLimit();
		assert(
			timedOut.finished === false &&
				timedOut.timedOut === true &&
				timedOut.taskId === lost &&
				/Wait operation/.test(timedOut.message),
			`lost: ${JSON.stringify(timedOut)}`,
		);
	});

	test(`${name}: a Wait after the node reads the lost task`, async () => {
		const { done } = await endedAtLimit();
		const recovered = outputOf(done, 'Wait for the rest').map((item) => item.json.status);
		assert(recovered.join() === 'SUCCESS,SUCCESS', `Wait for the rest: ${recovered}`);
	});

	test(`${name}: nothing is submitted again`, async () => {
		await endedAtLimit();
		assert(ctx.emulator.submitCount() === 2, `${ctx.emulator.submitCount()} submits`);
	});

	if (ctx.queueMode)
		test(`${name}, queue mode: workers run the execution twice, its first run and after the limit`, async () => {
			const { parked } = await endedAtLimit();
			const runs = workerRunsOf(ctx, parked.id);
			assert(runs.length === 2, `workers that ran execution ${parked.id}: ${JSON.stringify(runs)}`);
		});
}

function checkTrigger(ctx) {
	const name = 'MaxApi Trigger';
	const twoTasksFinished = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		const { workflowId, url } = await activateTrigger(ctx, 'e2e trigger');
		const taskIds = [
			await submitToEmulator(emulator, 'one mock:never', `${url}?secret=${SECRET}`),
			await submitToEmulator(emulator, 'two mock:never', `${url}?secret=${SECRET}`),
		];
		const answers = [];
		for (const taskId of taskIds) answers.push(await finishTask(emulator, taskId));
		const executions = await executionsEnded(ctx, workflowId, 2);
		const envelope = { code: 0, msg: 'ok', data: emulator.getTask(taskIds[0]) };
		return { workflowId, url, taskIds, answers, executions, envelope };
	});
	/** Sends a callback after the two runs; resolves with its answer once n8n has started nothing more. */
	const sendAfterwards = async (query, body) => {
		const { workflowId, url } = await twoTasksFinished();
		const answer = await postJson(`${url}?${query}`, body);
		// n8n creates an execution before it answers the call that started it, so the count is final here.
		await endedExecutions(ctx, workflowId, 2);
		return answer;
	};

	test(`${name}: each finished task's callback is answered and starts one execution, with that task`, async () => {
		const { taskIds, answers, executions } = await twoTasksFinished();
		assert(
			answers.every((answer) => answer === 200),
			`callbacks answered ${answers}`,
		);
		const started = executions
			.map((execution) => outputOf(execution, 'MaxApi Trigger')[0].json.taskId)
			.sort();
		assert(JSON.stringify(started) === JSON.stringify([...taskIds].sort()), `tasks ${started}`);
	});

	test(`${name}: a callback with a wrong secret is refused (403) and starts nothing`, async () => {
		const { envelope } = await twoTasksFinished();
		const answer = await sendAfterwards('secret=wrong', envelope);
		assert(answer.status === 403, `a wrong secret answered ${answer.status}`);
	});

	test(`${name}: a malformed callback body is refused (400) and starts nothing`, async () => {
		const answer = await sendAfterwards(`secret=${SECRET}`, '{"code":0,"data":{"taskId":"abc"}}');
		assert(answer.status === 400, `a malformed body answered ${answer.status}`);
	});

	test(`${name}: a callback for a task MaxAPI does not know is refused (404) and starts nothing`, async () => {
		const answer = await sendAfterwards(`secret=${SECRET}`, {
			code: 0,
			data: { taskId: 'no-such-task', status: 'SUCCESS' },
		});
		assert(answer.status === 404, `an unknown task answered ${answer.status}`);
	});

	test(`${name}: a copy of a callback that started a run is answered as a duplicate and starts nothing`, async () => {
		const { envelope } = await twoTasksFinished();
		const copy = await sendAfterwards(`secret=${SECRET}`, envelope);
		assert(
			copy.status === 200 && copy.body.started === false && copy.body.reason === 'duplicate',
			`a copy answered ${JSON.stringify(copy)}`,
		);
	});

	if (ctx.queueMode)
		test(`${name}, queue mode: each execution runs on a worker`, async () => {
			const { executions } = await twoTasksFinished();
			for (const execution of executions)
				assert(
					workerRunsOf(ctx, execution.id).length === 1,
					`execution ${execution.id} did not run on a worker`,
				);
		});
}

/** Copies of one finished task's callback, all sent at once, while each read of the API takes 500 ms. */
function checkOverlappingCopies(ctx, { copies = 20, downloadResults = false } = {}) {
	const name = `MaxApi Trigger: ${copies} copies of one callback at once (slow API read${downloadResults ? ', Download Result Files' : ''})`;
	const copiesAnswered = sharedStep(async () => {
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
		const executions = await executionsEnded(ctx, workflowId, 1);
		const reads = emulator.requests.filter((request) => request.route === 'get').length;
		return { answers, executions, reads, downloads: emulator.fileRequests.length };
	});

	test(`${name} start one execution`, async () => {
		const { answers, executions } = await copiesAnswered();
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
		assert(executions.length === 1, `${executions.length} executions, expected 1`);
		assert(executions[0].status === 'success', `status ${executions[0].status}`);
	});

	test(`${name} read the task from the API once`, async () => {
		const { reads } = await copiesAnswered();
		assert(reads === 1, `${reads} API reads for ${copies} copies`);
	});

	if (downloadResults)
		test(`${name} download the result file once, into the run's item`, async () => {
			const { executions, downloads } = await copiesAnswered();
			const [item] = outputOf(executions[0], 'MaxApi Trigger');
			assert(item.binary?.data?.mimeType === 'video/mp4', 'binary data missing');
			assert(downloads === 1, `${downloads} downloads`);
		});
}

module.exports = {
	checkResume,
	checkEarlyCallback,
	checkRestart,
	checkTimeLimit,
	checkTrigger,
	checkOverlappingCopies,
};
