/** The importable workflows in examples/ run as they are, with a credential pointing at the emulator. */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { runWorkflow, type WorkflowJson } from './harness/n8n';
import { startEmulator, type Emulator } from './helpers';

const folder = join(__dirname, '..', 'examples');
const examples = readdirSync(folder).filter((file) => file.endsWith('.json'));

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
	const workflow = JSON.parse(readFileSync(join(folder, 'generate-and-wait.json'), 'utf8')) as WorkflowJson;
	const result = await runWorkflow(workflow, {
		credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
	});
	const [video] = result.output('Make video');
	expect(video.json).toMatchObject({ status: 'SUCCESS', resultType: 'video' });
	expect(video.binary?.data.mimeType).toBe('video/mp4');
});

test('submit-and-get reads back the task it submitted', async () => {
	const workflow = JSON.parse(readFileSync(join(folder, 'submit-and-get.json'), 'utf8')) as WorkflowJson;
	const result = await runWorkflow(workflow, {
		credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
	});
	const submitted = result.output('Submit video task')[0].json;
	expect(result.output('Get task')[0].json).toMatchObject({ taskId: submitted.taskId, status: 'SUCCESS' });
});
