/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// The code's folders too: jest follows imports only through files under its roots, and Stryker (and
	// `jest --findRelatedTests`) pick the tests of a module by them.
	roots: ['<rootDir>/test', '<rootDir>/nodes', '<rootDir>/credentials'],
	testMatch: ['**/*.test.ts'],
	globalSetup: '<rootDir>/test/harness/globalSetup.js',
	globalTeardown: '<rootDir>/test/harness/globalTeardown.js',
	setupFiles: ['<rootDir>/test/harness/env.ts'],
	// Type checking is tsc's job (npm run build and lint); ts-jest only transpiles, which keeps tests fast.
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: false }],
	},
	testTimeout: 30000,
	// Most tests wait on timers and HTTP rather than the CPU: four workers finish in half the time of one,
	// also on a 2-core machine (where jest's default is a single worker).
	maxWorkers: 4,
	reporters: ['default', '<rootDir>/test/harness/summary-reporter.js'],
};
