// Stryker's jest runner, with a mutant's tests run one test file at a time, the quickest first, until one
// fails. Stryker's own runner hands jest every test file that imports the mutated module, even those
// holding none of the tests that reach the mutant, and runs all of them to the end (jest cannot stop at a
// failure from its API): each workflow test file costs a second or more to load n8n-core, for each mutant.
// Which tests reach a mutant is still Stryker's choice (its `testFilter`), and a failing test still kills it.
// bailEnvironment.js stops a file's remaining tests once one has failed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	commonTokens,
	declareFactoryPlugin,
	PluginKind,
	tokens,
} from '@stryker-mutator/api/plugin';
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner';

// Written by the first run (Stryker's dry run) into the sandbox, where every test runner process works.
const TEST_FILES = '.stryker-test-files.json';

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class FileByFileRunner {
	#jest;
	#testFiles; // test ID → { file, ms }

	constructor(jest) {
		this.#jest = jest;
	}

	init() {
		return this.#jest.init();
	}

	capabilities() {
		return this.#jest.capabilities();
	}

	dispose() {
		return this.#jest.dispose?.();
	}

	async dryRun(options) {
		const result = await this.#jest.dryRun(options);
		if (result.status === 'complete') {
			const testFiles = {};
			for (const test of result.tests)
				testFiles[test.id] = { file: test.fileName, ms: test.timeSpentMs };
			writeFileSync(join(process.cwd(), TEST_FILES), JSON.stringify(testFiles));
		}
		return result;
	}

	async mutantRun(options) {
		const files = this.#filesHolding(options.testFilter);
		if (!files) return await this.#jest.mutantRun(options);
		// The jest runner builds the run (the active mutant, the test name filter, the time-out's hit
		// count) and reads its results; only how jest is called changes, for this one run.
		const adapter = this.#jest.jestTestAdapter;
		this.#jest.jestTestAdapter = {
			run: async (settings) => {
				const runs = [];
				for (const file of files) {
					const { results } = await adapter.run({ ...settings, testFiles: [escapeRegExp(file)] });
					runs.push(results);
					if (results.numFailedTests > 0 || results.numRuntimeErrorTestSuites > 0) break;
				}
				return {
					results: {
						...runs[0],
						numFailedTests: runs.reduce((sum, r) => sum + r.numFailedTests, 0),
						numRuntimeErrorTestSuites: runs.reduce(
							(sum, r) => sum + r.numRuntimeErrorTestSuites,
							0,
						),
						testResults: runs.flatMap((r) => r.testResults),
					},
				};
			},
		};
		try {
			return await this.#jest.mutantRun(options);
		} finally {
			this.#jest.jestTestAdapter = adapter;
		}
	}

	/** The test files holding these tests, the quickest first; undefined: run what jest would. */
	#filesHolding(testIds) {
		if (!testIds || testIds.length === 0) return undefined;
		const path = join(process.cwd(), TEST_FILES);
		if (!this.#testFiles && existsSync(path))
			this.#testFiles = JSON.parse(readFileSync(path, 'utf8'));
		const ms = new Map();
		for (const id of testIds) {
			const test = this.#testFiles?.[id];
			if (!test) return undefined; // a test the first run did not see: leave it to jest
			ms.set(test.file, (ms.get(test.file) ?? 0) + test.ms);
		}
		return [...ms.keys()].sort((a, b) => ms.get(a) - ms.get(b) || (a < b ? -1 : 1));
	}
}

function fileByFileRunnerFactory(injector) {
	const jest = jestPlugins.find((plugin) => plugin.name === 'jest');
	return new FileByFileRunner(injector.injectFunction(jest.factory));
}
fileByFileRunnerFactory.inject = tokens(commonTokens.injector);

export const strykerPlugins = [
	declareFactoryPlugin(PluginKind.TestRunner, 'jest-file-by-file', fileByFileRunnerFactory),
];
