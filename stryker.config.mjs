// Mutation testing: `npm run test:mutation`, also in CI. Incremental: a run tests only the mutants of code
// (or tests) changed since the baseline in test/mutation/stryker-incremental.json, which is committed;
// `npx stryker run --force` tests every mutant. Reports go to reports/mutation (ignored). Node 20 runs
// StrykerJS 9.5 (10 wants 22).
import { fileURLToPath } from 'node:url';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	// Stryker's jest runner, a mutant's test files one at a time until a test fails (see the file).
	testRunner: 'jest-file-by-file',
	plugins: ['@stryker-mutator/*', './test/mutation/fileByFileRunner.mjs'],
	jest: {
		configFile: 'jest.config.js',
		enableFindRelatedTests: true,
		// Within a test file, a mutant's run stops at its first failing test.
		config: {
			testEnvironment: fileURLToPath(new URL('test/mutation/bailEnvironment.js', import.meta.url)),
		},
	},
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.json',
	typescriptChecker: { prioritizePerformanceOverAccuracy: true },
	mutate: [
		'nodes/**/*.ts',
		'credentials/**/*.ts',
		// The model catalogue's data: a mutant there changes a number or a name, which no test should pin.
		'!nodes/shared/models/imageFamilies.ts',
		'!nodes/shared/models/videoFamilies.ts',
		'!nodes/shared/models/legacyFamilies.ts',
		'!nodes/**/*.description.ts',
	],
	coverageAnalysis: 'perTest',
	// A mutant in a module-level constant is live before any test starts, so Stryker would run every test
	// for it; those are left out of the score (and listed as ignored in the report).
	ignoreStatic: true,
	incremental: true,
	incrementalFile: 'test/mutation/stryker-incremental.json',
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/index.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	// Below 85 % overall the run fails; scripts/mutationScore.js --check holds the groups to 90 %.
	thresholds: { high: 90, low: 85, break: 85 },
	concurrency: 2,
	timeoutMS: 5000,
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
