// Jest's node environment, for mutation runs: once a test has failed under a mutant, the rest of that
// mutant's tests are skipped. The mutant is already killed; Stryker wants only that (it would bail, but
// jest cannot be told to from its API, so every covering test ran, the slow workflow tests too).
// Outside a mutant run (jest itself, Stryker's first run that measures coverage) it changes nothing.
const { TestEnvironment } = require('jest-environment-node');

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
// This module is loaded once per test process: the mutant whose run has seen a failure outlives the file.
let killedMutant;

class BailEnvironment extends TestEnvironment {
	async handleTestEvent(event) {
		const mutant = process.env[ACTIVE_MUTANT];
		if (mutant === undefined) return;
		if (event.name === 'test_start' && killedMutant === mutant) event.test.mode = 'skip';
		if (event.name === 'test_done' && event.test.errors.length > 0) killedMutant = mutant;
	}
}

module.exports = BailEnvironment;
