/**
 * Runs of Submit with "Wait for Completion: Callback (Resume)": the emulator calls back over HTTP to a
 * server playing n8n's /webhook-waiting route (WaitingWebhooks). For a test file's top level.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { MAXAPI_NODE, maxApiWorkflow, useEmulator } from '../helpers';
import { WaitingWebhooks } from './waiting';

/** Submit with Callback (Resume); Poll First is 0 unless a test is about it, so it parks at once. */
export const callbackParameters = (parameters: Record<string, unknown> = {}) => ({
	operation: 'submit',
	waitForCompletion: 'callback',
	family: 'seedance',
	model: 'seedance-2.0',
	prompt: '={{ $json.prompt }}',
	pollFirstSeconds: 0,
	...parameters,
});

export function useParking() {
	const emulator = useEmulator({ callbackRetryDelayMs: 100 });
	const waiting = new WaitingWebhooks();
	beforeAll(async () => await waiting.start());
	afterAll(async () => await waiting.stop());

	const callback = callbackParameters;

	const taskIds = () => [...emulator.tasks.keys()];

	/** Ends a task as MaxAPI would and waits until its callback has been answered. */
	async function finish(taskId: string, outcome?: { status: string; reason: string }) {
		const answered = emulator.callbacks.filter((delivery) => delivery.taskId === taskId).length;
		emulator.finishTask(taskId, outcome);
		await emulator.waitFor(
			() => emulator.callbacks.filter((delivery) => delivery.taskId === taskId).length > answered,
		);
	}

	async function park(
		items: INodeExecutionData[],
		parameters: Record<string, unknown> = {},
		onError?: 'continueOnFail' | 'errorOutput',
	) {
		const { id, first } = await waiting.run(maxApiWorkflow(callback(parameters)), {
			credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
			items,
			...(onError && { [onError]: [MAXAPI_NODE] }),
		});
		return { id, first };
	}

	const resumeUrlOf = (id: string) =>
		`${waiting.baseUrl}/${id}?signature=${waiting.resumeToken(id)}`;

	async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: await response.json().catch(() => undefined) };
	}

	return { emulator, waiting, callback, taskIds, finish, park, resumeUrlOf, post };
}
