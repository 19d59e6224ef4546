/** The webhooks' shared answer (pure, on a stub response). */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { nothingToRegister, reply } from '../../nodes/shared/webhook';

describe('webhook', () => {
	test('reply sends the status and JSON body, and tells n8n not to answer itself', () => {
		const sent: unknown[] = [];
		const response = {
			status: (status: number) => {
				sent.push(status);
				return response;
			},
			json: (body: unknown) => sent.push(body),
		};
		const ctx = { getResponseObject: () => response } as unknown as IWebhookFunctions;
		expect(reply(ctx, 409, { received: false })).toEqual({ noWebhookResponse: true });
		expect(sent).toEqual([409, { received: false }]);
	});

	test('there is nothing to register at MaxAPI: every hook says done', async () => {
		const hooks = nothingToRegister.default;
		const ctx = {} as IHookFunctions;
		expect(await hooks.checkExists.call(ctx)).toBe(true);
		expect(await hooks.create.call(ctx)).toBe(true);
		expect(await hooks.delete.call(ctx)).toBe(true);
	});
});
