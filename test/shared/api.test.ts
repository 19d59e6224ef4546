/** MaxAPI's endpoints: what each function sends and makes of the answer (a stub transport, no HTTP). */
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { cancelTask, readTask, submitBody, submitTask } from '../../nodes/shared/api';

/** A node run's context whose authenticated requests are logged and answered with `data`. */
function contextAnswering(data: unknown) {
	const sent: IHttpRequestOptions[] = [];
	const ctx = {
		getNode: () => ({ name: 'MaxApi', credentials: { maxApiApi: { id: '1', name: 'MaxAPI' } } }),
		getCredentials: async () => ({ apiKey: 'key', baseUrl: 'https://api.test/' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				return { statusCode: 200, headers: {}, body: { code: 0, msg: 'ok', data } };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, sent };
}

describe('submitBody', () => {
	test('model and input always; the callback URL and user_id only when given', () => {
		expect(submitBody({ model: 'm', input: { prompt: 'p' } })).toEqual({
			model: 'm',
			input: { prompt: 'p' },
		});
		expect(
			submitBody({ model: 'm', input: {}, callBackUrl: 'https://n8n/x', userId: 'u1' }),
		).toEqual({ model: 'm', input: {}, callBackUrl: 'https://n8n/x', user_id: 'u1' });
		expect(submitBody({ model: 'm', input: {}, callBackUrl: '', userId: '' })).toEqual({
			model: 'm',
			input: {},
		});
	});
});

describe('endpoints', () => {
	test('submit posts the body to /api/v1/task/submit and returns the task ID', async () => {
		const { ctx, sent } = contextAnswering({ taskId: 't-1' });
		expect(await submitTask(ctx, { model: 'm', input: { prompt: 'p' } }, 0)).toBe('t-1');
		expect(sent).toEqual([
			expect.objectContaining({
				method: 'POST',
				url: 'https://api.test/api/v1/task/submit',
				body: { model: 'm', input: { prompt: 'p' } },
			}),
		]);
	});

	test('a submit answered without a task ID is an error that says to look before submitting again', async () => {
		for (const data of [{}, { taskId: '' }, { taskId: 7 }, null]) {
			const { ctx } = contextAnswering(data);
			await expect(submitTask(ctx, { model: 'm', input: {} }, 2)).rejects.toMatchObject({
				message: 'MaxAPI accepted the request but returned no task ID',
				description: expect.stringMatching(/dashboard before submitting again/),
			});
		}
	});

	test('a submit the run no longer wants is not sent', async () => {
		const { ctx, sent } = contextAnswering({ taskId: 't-1' });
		await expect(submitTask(ctx, { model: 'm', input: {} }, 0, () => false)).rejects.toThrow(
			'Not sent: the run is stopping',
		);
		expect(sent).toHaveLength(0);
	});

	test('read gets the task by its escaped ID and keeps the ID on the task', async () => {
		const { ctx, sent } = contextAnswering({ status: 'SUCCESS' });
		expect(await readTask(ctx, 'a/b', 0)).toEqual({ taskId: 'a/b', status: 'SUCCESS' });
		expect(sent[0]).toMatchObject({ method: 'GET', url: 'https://api.test/api/v1/task/a%2Fb' });
	});

	test('cancel posts to the task’s cancel endpoint', async () => {
		const { ctx, sent } = contextAnswering(null);
		await cancelTask(ctx, 't 1', 0);
		expect(sent[0]).toMatchObject({
			method: 'POST',
			url: 'https://api.test/api/v1/task/t%201/cancel',
		});
	});
});
