import { testMaxApiCredential } from '../harness/credentialTest';
import { startEmulator, useEmulator } from '../helpers';

const emulator = useEmulator();

describe('credential connection test', () => {
	test('passes with a good key, and creates nothing', async () => {
		const result = await testMaxApiCredential({
			apiKey: emulator.apiKey,
			baseUrl: emulator.baseUrl,
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({ method: 'GET', route: 'get', authorized: true });
		expect(emulator.tasks.size).toBe(0);
	});

	test('fails with a wrong key, saying the key was refused', async () => {
		const result = await testMaxApiCredential({ apiKey: 'wrong', baseUrl: emulator.baseUrl });
		expect(result).toEqual({
			status: 'Error',
			message: 'The API key was refused (401 unauthorized)',
		});
	});

	test('fails with a wrong key also when MaxAPI answers 401 only in the envelope', async () => {
		const strict = await startEmulator({ httpStatusMirrorsCode: false });
		try {
			const result = await testMaxApiCredential({ apiKey: 'wrong', baseUrl: strict.baseUrl });
			expect(result.status).toBe('Error');
		} finally {
			await strict.stop();
		}
	});

	test('a trailing slash on the Base URL is fine', async () => {
		const result = await testMaxApiCredential({
			apiKey: emulator.apiKey,
			baseUrl: `${emulator.baseUrl}/`,
		});
		expect(result.status).toBe('OK');
		expect(emulator.requests[0].path).toBe('/api/v1/task/00000000-0000-4000-8000-000000000000');
	});

	test('fails when nothing answers at the Base URL', async () => {
		const result = await testMaxApiCredential({
			apiKey: emulator.apiKey,
			baseUrl: 'http://127.0.0.1:9',
		});
		expect(result.status).toBe('Error');
	});
});
