// Ends every jest run with a plain `N passed, N failed` line, which CI reads as the verdict.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const suiteErrors = results.numRuntimeErrorTestSuites;
		const failed = results.numFailedTests + suiteErrors;
		process.stderr.write(
			`\njest: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
		);
	}
}
module.exports = SummaryReporter;
