/** Callback (Resume) refused before anything is sent: too many items, or an address MaxAPI cannot call. */
import { callbackParameters } from '../../harness/parking';
import { prompts, runMaxApi, useEmulator } from '../../helpers';

const emulator = useEmulator();

const callback = callbackParameters;

describe('what can be parked', () => {
	test('n8n on localhost with the real MaxAPI: refused before anything is sent, saying how to fix it', async () => {
		const result = await runMaxApi(emulator, callback({ prompt: 'Go' }), {
			baseUrl: 'https://api.maxapi.invalid',
		});
		expect(result.error?.message).toBe(
			"Wait for Completion: n8n's webhook address here is http://127.0.0.1:5678, which MaxAPI cannot call back",
		);
		expect(result.error?.description).toMatch(/WEBHOOK_URL.*or choose Poll/);
	});

	test('more items than one parked execution takes: refused before anything is sent, saying what to do', async () => {
		const many = prompts(...Array.from({ length: 501 }, (_, i) => `t${i}`));
		const result = await runMaxApi(emulator, callback(), { items: many });
		expect(result.error?.message).toBe(
			'Wait for Completion: Callback (Resume) waits for at most 500 items in one execution, and this run has 501',
		);
		expect(result.error?.description).toMatch(
			/Loop Over Items node with a Batch Size of 250.*or choose Poll\. Nothing was sent/,
		);
		expect(emulator.requests).toHaveLength(0);
	});

	test("a Callback URL of the user's own does not go with this mode", async () => {
		const result = await runMaxApi(
			emulator,
			callback({ prompt: 'Go', options: { callBackUrl: 'https://hooks.example.com/x' } }),
		);
		expect(result.error?.message).toBe(
			'Callback URL: not used with Wait for Completion "Callback (Resume)"',
		);
		expect(emulator.submitCount()).toBe(0);
	});
});
