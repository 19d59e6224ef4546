/** What each input item becomes once waiting is over, as a unit (no HTTP; downloads are off). */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemState } from '../../../nodes/MaxApi/wait/itemState';
import { finishItems } from '../../../nodes/MaxApi/wait/outcome';
import type { WaitSettings } from '../../../nodes/MaxApi/wait/settings';

const node = {
	id: 'n',
	name: 'MaxApi',
	type: 'n8n-nodes-maxapi.maxApi',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};
const ctx = { getNode: () => node } as unknown as IExecuteFunctions;
const settings = (onTimeLimit: WaitSettings['onTimeLimit']): WaitSettings => ({
	mode: 'poll',
	timeLimitMinutes: 5,
	onTimeLimit,
	downloadResults: false,
	maxPollIntervalMs: 60_000,
	pollFirstMs: 0,
});

const states: ItemState[] = [
	{
		kind: 'task',
		itemIndex: 0,
		taskId: 'ok',
		task: {
			taskId: 'ok',
			status: 'SUCCESS',
			result: { type: 'video', urls: ['https://cdn/x.mp4'] },
		},
	},
	{
		kind: 'task',
		itemIndex: 1,
		taskId: 'bad',
		task: { taskId: 'bad', status: 'FAILURE', failure_reason: 'CONTENT_MODERATION' },
	},
	{ kind: 'task', itemIndex: 2, taskId: 'slow', task: { taskId: 'slow', status: 'PROCESSING' } },
	{
		kind: 'failed',
		itemIndex: 3,
		error: new NodeOperationError(node, 'Prompt: The prompt is empty'),
	},
	{ kind: 'settled', itemIndex: 4, item: { json: { taskId: 'kept' }, pairedItem: { item: 4 } } },
];

describe('finishItems', () => {
	test('each item in input order, paired with its input: the task, an error item, or timedOut', async () => {
		const output = await finishItems(ctx, states, settings('output'), 'item');
		expect(output.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		const [ok, bad, slow, failed, kept] = output.map((item) => item.json);
		expect(ok).toMatchObject({ taskId: 'ok', status: 'SUCCESS', resultUrl: 'https://cdn/x.mp4' });
		expect(ok.error).toBeUndefined();
		expect(bad).toMatchObject({
			taskId: 'bad',
			error: 'Task bad ended with status FAILURE: CONTENT_MODERATION',
		});
		expect(slow).toMatchObject({ taskId: 'slow', finished: false, timedOut: true });
		expect(failed).toEqual({ error: 'Prompt: The prompt is empty' });
		expect(kept).toEqual({ taskId: 'kept' });
	});

	test('On Time Limit "Stop With an Error": the unfinished task is an error naming it and how to get it', async () => {
		const output = await finishItems(ctx, [states[2]], settings('error'), 'item');
		expect(output[0].json.error).toBe(
			'Task slow did not finish within the time limit of 5 minutes (last status: PROCESSING)',
		);
		expect(output[0].json.description).toMatch(/Get operation/);
	});

	test('without Continue On Fail the first problem is thrown', async () => {
		await expect(finishItems(ctx, states, settings('output'), 'throw')).rejects.toThrow(
			'Task bad ended with status FAILURE: CONTENT_MODERATION',
		);
	});
});
