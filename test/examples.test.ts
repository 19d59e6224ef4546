/** The importable workflows in examples/ run as they are, with a credential pointing at the emulator. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { LiveWebhooks } from './harness/live';
import { nodeTypes, runWorkflow, type WorkflowJson } from './harness/n8n';
import { startEmulator, type Emulator } from './helpers';

const folder = join(__dirname, '..', 'examples');
const load = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as WorkflowJson;
const PLACEHOLDER_HOST = 'https://YOUR-N8N-HOST/webhook';
// Workflows a manual run starts, made only of node types this harness has (the others, e.g. with a Code
// node, run in the real-n8n suite); the callback pair needs its placeholder URL filled in (tested below).
const examples = readdirSync(folder).filter((file) => {
	const workflow = load(file);
	return (
		!readFileSync(join(folder, file), 'utf8').includes(PLACEHOLDER_HOST) &&
		workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger') &&
		workflow.nodes.every((node) => nodeTypes.getByName(node.type) !== undefined)
	);
});

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ latencyMs: 0 });
});
afterAll(async () => await emulator.stop());

test.each(examples)('%s runs to success', async (file) => {
	const workflow = JSON.parse(readFileSync(join(folder, file), 'utf8')) as WorkflowJson;
	const result = await runWorkflow(workflow, {
		credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
	});
	expect(result.error?.message).toBeUndefined();
	expect(result.status).toBe('success');
	for (const node of workflow.nodes) {
		for (const item of result.output(node.name)) expect(item.json.error).toBeUndefined();
	}
});

test('generate-and-wait gives the finished video as binary data', async () => {
	const workflow = JSON.parse(
		readFileSync(join(folder, 'generate-and-wait.json'), 'utf8'),
	) as WorkflowJson;
	const result = await runWorkflow(workflow, {
		credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
	});
	const [video] = result.output('Make video');
	expect(video.json).toMatchObject({ status: 'SUCCESS', resultType: 'video' });
	expect(video.binary?.data.mimeType).toBe('video/mp4');
});

test('submit-and-get reads back the task it submitted', async () => {
	const workflow = JSON.parse(
		readFileSync(join(folder, 'submit-and-get.json'), 'utf8'),
	) as WorkflowJson;
	const result = await runWorkflow(workflow, {
		credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
	});
	const submitted = result.output('Submit video task')[0].json;
	expect(result.output('Get task')[0].json).toMatchObject({
		taskId: submitted.taskId,
		status: 'SUCCESS',
	});
});

test("the callback pair: the submit workflow's task starts the trigger workflow, which gets the video", async () => {
	const live = new LiveWebhooks();
	await live.start();
	try {
		const credentials = { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } };
		const [triggerUrl] = live.activate(load('callback-2-trigger.json'), { credentials });
		const submit = JSON.parse(
			readFileSync(join(folder, 'callback-1-submit.json'), 'utf8')
				.split(PLACEHOLDER_HOST)
				.join(live.baseUrl),
		) as WorkflowJson;
		expect(submit.nodes[1].parameters.options).toEqual({
			callBackUrl: expect.stringContaining(triggerUrl),
			reference: 'order-1042',
		});
		const submitted = await runWorkflow(submit, { credentials });
		expect(submitted.status).toBe('success');
		await emulator.waitFor(() => live.executions.length === 1);
		await live.settled();
		const [finished] = live.executions[0].output('MaxApi Trigger');
		expect(finished.json).toMatchObject({
			taskId: submitted.output('Submit video task')[0].json.taskId,
			status: 'SUCCESS',
			reference: 'order-1042',
		});
		expect(finished.binary?.data.mimeType).toBe('video/mp4');
	} finally {
		await live.stop();
	}
});
