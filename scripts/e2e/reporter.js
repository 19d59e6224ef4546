// node:test reporter of the real-n8n suites (`npm run test:e2e` passes it with --test-reporter): one line
// `ok - name (1.2 s)` / `not ok - name: message` per test, then the last line `<suite>: N passed, N failed`,
// which CI and the README rely on. <suite> is the name of the file's describe() ("e2e", "e2e queue").
// Each `not ok` line counts as one failure: a failed test, a test that never ran (a failed before() cancels
// them all) and a failed hook, so a run that breaks before its first test never reads "0 failed".
module.exports = async function* reporter(source) {
	let label = 'e2e';
	let passed = 0;
	let failed = 0;
	for await (const { type, data } of source) {
		if (type === 'test:start' && data.nesting === 0) label = data.name;
		if (type === 'test:pass' && data.details.type !== 'suite' && !data.skip) {
			passed++;
			yield `ok - ${data.name} (${(data.details.duration_ms / 1000).toFixed(1)} s)\n`;
		}
		if (type === 'test:fail') {
			const { error } = data.details;
			// A suite fails when one of its tests did: that test was counted already.
			if (data.details.type === 'suite' && error.failureType === 'subtestsFailed') continue;
			failed++;
			const cause = error.cause ?? error;
			if (error.failureType === 'hookFailed')
				yield `not ok - ${data.name} (a before/after hook): ${cause.stack ?? cause.message}\n`;
			else if (error.failureType === 'cancelledByParent')
				yield `not ok - ${data.name}: not run (cancelled)\n`;
			else yield `not ok - ${data.name}: ${cause.message ?? cause}\n`;
		}
	}
	if (passed + failed === 0) {
		failed = 1;
		yield 'not ok - no test ran\n';
	}
	if (failed > 0) process.exitCode = 1;
	yield `\n${label}: ${passed} passed, ${failed} failed\n`;
};
