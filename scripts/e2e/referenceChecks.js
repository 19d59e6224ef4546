// The fire-and-forget loop in a real n8n, as a user builds it: one workflow submits (Don't Wait) with the
// MaxApi Trigger's URL as Callback URL and a Reference per row; the Trigger's runs must each carry their
// row's reference, and a forged callback with a reference must start nothing. ctx: see callbackChecks.js.
const assert = require('node:assert');
const { test } = require('node:test');

const {
	activateTrigger,
	startByWebhook,
	finishedExecution,
	endedExecutions,
} = require('./executions');
const {
	SECRET,
	codeNode,
	maxApiNode,
	outputOf,
	postJson,
	sharedStep,
	webhookWorkflow,
} = require('./suite');

// What a sheet's rows hold; the reference travels in a URL, so every character that means something there.
const ROWS = [
	{ prompt: 'first mock:latency=300', row: 'Row 2 · Ünïcode & more #1 = done?' },
	{ prompt: 'second mock:latency=600', row: 3 },
];

function checkReference(ctx) {
	const name = 'Reference';
	const loopClosed = sharedStep(async () => {
		ctx.emulator.reset();
		const trigger = await activateTrigger(ctx, 'e2e reference trigger');
		const submit = webhookWorkflow(
			'e2e reference submit',
			'maxapi-e2e-reference',
			[
				codeNode('Rows', ROWS),
				maxApiNode('Submit', {
					prompt: '={{ $json.prompt }}',
					waitForCompletion: 'none',
					options: {
						callBackUrl: `${trigger.url}?secret=${SECRET}`,
						reference: '={{ $json.row }}',
					},
				}),
			],
			{ Rows: { main: [[{ node: 'Submit', type: 'main', index: 0 }]] } },
		);
		const created = await startByWebhook(ctx, submit, 'maxapi-e2e-reference');
		const [summary] = await endedExecutions(ctx, created.id, 1);
		const submitted = outputOf(await finishedExecution(ctx, summary.id), 'Submit').map(
			(item) => item.json,
		);
		const runs = await endedExecutions(ctx, trigger.workflowId, ROWS.length);
		return { trigger, submitted, runs };
	});

	test(`${name}: Submit outputs each row's reference, a number as text`, async () => {
		const { submitted } = await loopClosed();
		const references = submitted.map((json) => json.reference);
		assert.deepStrictEqual(references, [ROWS[0].row, String(ROWS[1].row)]);
	});

	test(`${name}: each MaxApi Trigger run carries the reference of the row that submitted its task`, async () => {
		const { submitted, runs } = await loopClosed();
		const expected = new Map(submitted.map((json) => [json.taskId, json.reference]));
		const carried = new Map(
			runs.map((run) => {
				const [item] = outputOf(run, 'MaxApi Trigger');
				return [item.json.taskId, item.json.reference];
			}),
		);
		assert.deepStrictEqual(carried, expected);
	});

	test(`${name}: a forged callback with a reference starts nothing (the API judges the task)`, async () => {
		const { trigger } = await loopClosed();
		const query = `secret=${SECRET}&reference=${encodeURIComponent('forged row')}`;
		const answer = await postJson(`${trigger.url}?${query}`, {
			code: 0,
			data: { taskId: 'forged-task', status: 'SUCCESS' },
		});
		assert(answer.status === 404, `a forged task answered ${JSON.stringify(answer)}`);
		await endedExecutions(ctx, trigger.workflowId, ROWS.length);
	});
}

module.exports = { checkReference };
