// Queue mode: what happens to a batch when the worker running it dies (SIGKILL, as an out-of-memory kill or a
// lost machine does), and which workflow loses nothing. n8n notices a dead worker by its lapsed job lock
// (the suite shortens QUEUE_WORKER_LOCK_DURATION and QUEUE_WORKER_STALLED_INTERVAL); then the two n8n lines
// differ: 1.x runs the execution once more on another worker (QUEUE_WORKER_MAX_STALLED_COUNT 1) from its
// last saved progress, 2.x never runs it again and replaces its data with the stall error. Tasks run until
// a check ends them (mock:never), so nothing here depends on timing. The killed worker is started again.
const assert = require('node:assert');
const { test } = require('node:test');

const {
	startByWebhook,
	waitingExecution,
	finishedExecution,
	finishTask,
	workerRunsOf,
} = require('./executions');
const { n8nMajorVersion } = require('./install');
const { outputOf, promptsWorkflow, sharedStep, withWaitAfter } = require('./suite');
const { waitUntil } = require('./waitUntil');

const PROMPTS = ['a mock:never', 'b mock:never', 'c mock:never'];
const STALL_ERROR = /failed to be processed too many times/;

/** The worker that started this execution. */
function workerOf(ctx, executionId) {
	const worker = ctx.workers.find(
		(candidate) => workerRunsOf({ workers: [candidate] }, executionId).length > 0,
	);
	assert(worker, `no worker logged starting execution ${executionId}`);
	return worker;
}

/** Kills the worker (its whole process group) with SIGKILL, runs `then`, starts the worker again. */
async function whileKilled(worker, then) {
	await worker.kill();
	try {
		return await then();
	} finally {
		await worker.start();
	}
}

/** Webhook → Prompts → "Make videos" (Submit, Don't Wait) → "Wait for results" (Wait), progress saved. */
function submitThenWaitWorkflow() {
	const workflow = withWaitAfter(
		promptsWorkflow('e2e worker crash', 'maxapi-e2e-worker-crash', PROMPTS, {
			waitForCompletion: 'none',
		}),
		'Wait for results',
		10,
	);
	// The workflow setting "Save execution progress": n8n saves the run after each node.
	workflow.settings = { saveExecutionProgress: true };
	return workflow;
}

/** Starts the Submit → Wait workflow and resolves once the submits are saved and the Wait is polling. */
async function waitingOnWorker(ctx) {
	const created = await startByWebhook(ctx, submitThenWaitWorkflow(), 'maxapi-e2e-worker-crash');
	const execution = await waitUntil(
		async () => {
			const [summary] = await ctx.n8n.executionSummaries(created.id);
			const run = summary && (await ctx.n8n.execution(summary.id));
			return run?.data?.resultData?.runData?.['Make videos'] && run;
		},
		{ timeoutMs: 30_000, what: 'the submits to be saved as progress' },
	);
	assert(ctx.emulator.submitCount() === 3, `${ctx.emulator.submitCount()} submits`);
	// The Wait reads the tasks: it is running on the worker now.
	const reads = ctx.emulator.requests.length;
	await waitUntil(() => ctx.emulator.requests.length > reads, {
		timeoutMs: 30_000,
		what: 'the Wait to read the tasks',
	});
	return { workflowId: created.id, execution };
}

function checkParkedWorkerKilled(ctx) {
	const name = 'Queue mode, the worker that parked a Callback batch is killed';
	const resumedElsewhere = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		const workflow = promptsWorkflow(
			'e2e parked worker killed',
			'maxapi-e2e-parked-kill',
			PROMPTS,
			{
				waitForCompletion: 'callback',
				timeLimitMinutes: 10,
				pollFirstSeconds: 0,
			},
		);
		const created = await startByWebhook(ctx, workflow, 'maxapi-e2e-parked-kill');
		const parked = await waitingExecution(ctx, created.id);
		return await whileKilled(workerOf(ctx, parked.id), async () => {
			const answers = [];
			for (const taskId of emulator.tasks.keys()) answers.push(await finishTask(emulator, taskId));
			const done = await finishedExecution(ctx, parked.id);
			return { parked, answers, done, runs: workerRunsOf(ctx, parked.id) };
		});
	});

	test(`${name}: the other worker resumes it, every item finished and in order`, async () => {
		const { answers, done } = await resumedElsewhere();
		assert(
			answers.every((answer) => answer === 200),
			`callbacks answered ${answers}`,
		);
		assert(done.status === 'success', `status ${done.status}`);
		const output = outputOf(done, 'Make videos').map((item) => item.json);
		assert(
			output.map((json) => `${json.input.prompt[0]}:${json.status}`).join() ===
				'a:SUCCESS,b:SUCCESS,c:SUCCESS',
			JSON.stringify(output),
		);
	});

	test(`${name}: nothing is submitted again`, async () => {
		await resumedElsewhere();
		assert(ctx.emulator.submitCount() === 3, `${ctx.emulator.submitCount()} submits`);
	});

	test(`${name}: the execution runs once on each worker, the killed one and the other`, async () => {
		const { parked, runs } = await resumedElsewhere();
		assert(
			runs.length === 2 && runs[0] !== runs[1],
			`workers that ran execution ${parked.id}: ${JSON.stringify(runs)}`,
		);
	});
}

/** n8n 1.x runs a stalled execution once more on another worker, from its last saved progress. */
function checkWaitingWorkerKilledOn1x(ctx) {
	const name =
		"Queue mode (n8n 1.x), the worker running Submit (Don't Wait) → Wait with progress saved is killed";
	const ranAgain = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		const { execution } = await waitingOnWorker(ctx);
		return await whileKilled(workerOf(ctx, execution.id), async () => {
			const runs = await waitUntil(
				() => {
					const workers = workerRunsOf(ctx, execution.id);
					return workers.length === 2 && workers;
				},
				{ timeoutMs: 120_000, what: 'another worker to run the execution again' },
			);
			for (const taskId of emulator.tasks.keys()) emulator.finishTask(taskId);
			return { runs, done: await finishedExecution(ctx, execution.id, 60_000) };
		});
	});

	test(`${name}: another worker runs the execution again`, async () => {
		const { runs } = await ranAgain();
		assert(runs.length === 2 && runs[0] !== runs[1], `workers: ${JSON.stringify(runs)}`);
	});

	test(`${name}: it goes on from the Wait, every task coming out finished`, async () => {
		const { done } = await ranAgain();
		assert(done.status === 'success', `status ${done.status}`);
		const statuses = outputOf(done, 'Wait for results').map((item) => item.json.status);
		assert(statuses.join() === 'SUCCESS,SUCCESS,SUCCESS', `Wait for results: ${statuses}`);
	});

	test(`${name}: nothing is submitted again`, async () => {
		await ranAgain();
		assert(ctx.emulator.submitCount() === 3, `${ctx.emulator.submitCount()} submits`);
	});
}

/** n8n 2.x never runs a stalled execution again: it saves the stall error over its data. */
function checkWaitingWorkerKilledOn2x(ctx) {
	const name = "Queue mode (n8n 2.x), the worker running Submit (Don't Wait) → Wait is killed";
	const stalledAndRetried = sharedStep(async () => {
		const { emulator } = ctx;
		emulator.reset();
		const { workflowId, execution } = await waitingOnWorker(ctx);
		return await whileKilled(workerOf(ctx, execution.id), async () => {
			const failed = await finishedExecution(ctx, execution.id, 120_000);
			await ctx.n8n.rest('POST', `/executions/${execution.id}/retry`, { loadWorkflow: false });
			const retried = await waitUntil(
				async () => {
					const list = await ctx.n8n.executionSummaries(workflowId);
					return list.length === 2 && !['new', 'running'].includes(list[0].status) && list[0];
				},
				{ timeoutMs: 30_000, what: 'the retry to end' },
			);
			return { execution, failed, retried, runs: workerRunsOf(ctx, execution.id) };
		});
	});

	test(`${name}: n8n ends the run with its stall error, saved over the progress`, async () => {
		const { failed } = await stalledAndRetried();
		const message = failed.data?.resultData?.error?.message;
		assert(failed.status === 'error' && STALL_ERROR.test(message), `${failed.status}: ${message}`);
		// The task IDs the progress held are gone from the run.
		assert.deepStrictEqual(Object.keys(failed.data.resultData.runData), []);
	});

	test(`${name}: n8n does not run it again`, async () => {
		const { runs } = await stalledAndRetried();
		assert(runs.length === 1, `n8n ran the execution again: ${JSON.stringify(runs)}`);
	});

	test(`${name}: Retry ends in an error`, async () => {
		const { retried } = await stalledAndRetried();
		assert(retried.status === 'error', `retry: ${retried.status}`);
	});

	test(`${name}: neither n8n nor Retry submits again`, async () => {
		await stalledAndRetried();
		assert(ctx.emulator.submitCount() === 3, `${ctx.emulator.submitCount()} submits`);
	});
}

const checkWaitingWorkerKilled = (ctx) =>
	n8nMajorVersion() < 2 ? checkWaitingWorkerKilledOn1x(ctx) : checkWaitingWorkerKilledOn2x(ctx);

module.exports = { checkParkedWorkerKilled, checkWaitingWorkerKilled };
