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
	timedGet,
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
		expect(result.stdout).toMatch(/API latency: 0 ± 0 ms; rate limit: none; downloads: unlimited/);

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

	test('shaping flags: --api-latency, --api-jitter, --rate-limit, --download-rate (with a unit suffix)', async () => {
		const cli = runNode([
			CLI,
			...['--api-latency', '150', '--api-jitter', '50', '--rate-limit', '2'],
			...['--download-rate', '10kB'],
		]);
		const [, baseUrl] = await waitForOutput(cli, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
		await waitForOutput(cli, /Press Ctrl\+C/);
		expect(cli.output()).toMatch(
			/API latency: 150 ± 50 ms; rate limit: 2 requests\/s \(token-bucket\); downloads: 10000 bytes\/s/,
		);
		const emu = { apiKey: DEFAULT_API_KEY, baseUrl };
		const started = Date.now();
		const burst = await Promise.all([1, 2, 3].map(() => getTask(emu, 'x')));
		expect(Date.now() - started).toBeGreaterThanOrEqual(98); // 150 ± 50 ms
		expect(burst.map((r) => r.status).sort()).toEqual([404, 404, 429]);
		const download = await timedGet(`${baseUrl}/files/large/2500.mp4`);
		expect(download.bytes).toBe(2500);
		expect(download.endAfter).toBeGreaterThanOrEqual(248); // 2500 bytes at 10 kB/s
		cli.child.kill('SIGTERM');
		expect((await waitForExit(cli.exited, 3000, 'CLI')).code).toBe(0);

		// Bad values, in parallel (each is a process start).
		const bad = [
			[['--rate-limit', '0'], /invalid rate limit: 0/],
			[['--rate-limit', '5', '--rate-limit-kind', 'leaky'], /invalid rate limit kind: leaky/],
			[['--download-rate', '5 parsecs'], /invalid download rate/],
			[['--api-jitter', '-1'], /invalid API jitter/],
			[['--api-latency'], /--api-latency needs a value/],
		] as const;
		const [help, ...results] = await Promise.all(
			[['--help'], ...bad.map(([flags]) => flags)].map((flags) =>
				waitForExit(runNode([CLI, ...flags]).exited, 3000, flags.join(' ')),
			),
		);
		bad.forEach(([flags, message], i) =>
			expect({ flags, code: results[i].code, stderr: results[i].stderr }).toMatchObject({
				code: 2,
				stderr: expect.stringMatching(message),
			}),
		);
		expect(help.stdout).toMatch(/--download-rate B .*\n.*50MB, 512KiB/);
	});
});
