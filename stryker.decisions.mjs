// The decision modules, mutation-tested in CI (`npm run test:mutation:decisions`): pure code with unit
// tests of its own, where a surviving mutant is a missing test. Incremental against the committed baseline,
// so a change re-tests only its own mutants; CI fails below 90 %. The whole package: stryker.config.mjs.
import base from './stryker.config.mjs';

export default {
	...base,
	mutate: [
		'nodes/MaxApi/wait/resumeDecision.ts',
		'nodes/MaxApiTrigger/triggerDecision.ts',
		'nodes/MaxApiTrigger/callbackRequest.ts',
		'nodes/MaxApiTrigger/startedOutcomes.ts',
		'nodes/MaxApi/actions/task/submitOptions.ts',
		'nodes/shared/envelope.ts',
		'nodes/shared/retries.ts',
		'nodes/shared/lastSecond.ts',
		'nodes/shared/boundedMemory.ts',
	],
	thresholds: { high: 95, low: 90, break: 90 },
};
