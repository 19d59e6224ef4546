/** scripts/emulator.js (`npm run emulator`) as a user runs it: a child process, stopped by a signal. */
import {
	CLI,
	DEFAULT_API_KEY,
	expectEmulatorSilent,
	getTask,
	runNode as runNodeProcess,
	sleep,
	submit,
	submitOk,
	waitForExit,
	waitForOutput,
	type NodeProcess,
} from './fixtures';

expectEmulatorSilent();

// A failed expectation must not leave an emulator process running.
const children: NodeProcess[] = [];
const runNode = (args: string[], env?: Record<string, string>): NodeProcess => {
	const proc = runNodeProcess(args, env);
	children.push(proc);
	return proc;
};
afterEach(() => {
	for (const { child } of children.splice(0))
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('emulator CLI', () => {
	test('flags, env vars, printed hints, SIGTERM/SIGINT stop cleanly', async () => {
		const cli = runNode([CLI, '--latency', '100', '--reject-local-callbacks'], {
			MAXAPI_EMULATOR_PORT: '0',
		});
		const [, baseUrl] = await waitForOutput(cli, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
		const emu = { apiKey: DEFAULT_API_KEY, baseUrl };
		const local = await submit(emu, 'veo3', { prompt: 'p' }, { callBackUrl: 'http://localhost/x' });
		expect(local.status).toBe(400);
		const id = await submitOk(emu, 'veo3', { prompt: 'p' });
		await sleep(150);
		expect((await getTask(emu, id)).json.data.status).toBe('SUCCESS');
		cli.child.kill('SIGTERM');
		const result = await waitForExit(cli.exited, 3000, 'CLI');
		expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 }); // stderr shown on failure
		expect(result.stdout).toMatch(/API key: maxapi-emulator-key/);
		expect(result.stdout).toMatch(/mock:fail\[=REASON\].*mock:moderation/);
		expect(result.stdout).toMatch(/\/__emulator\/faults/);
		expect(result.stdout).toMatch(/stopped/);

		const viaEnv = runNode([CLI], { MAXAPI_EMULATOR_LATENCY_MS: '123', MAXAPI_EMULATOR_PORT: '0' });
		await waitForOutput(viaEnv, /Press Ctrl\+C/);
		viaEnv.child.kill('SIGINT');
		const envResult = await waitForExit(viaEnv.exited, 3000, 'CLI (env)');
		expect(envResult.code).toBe(0);
		expect(envResult.stdout).toMatch(/Task latency: 123 ms/);

		const bad = await waitForExit(runNode([CLI, '--port', 'abc']).exited, 3000, 'CLI (bad args)');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/invalid port/);
	});
});
