// Reads Stryker's JSON report (reports/mutation/mutation.json) and prints the score of each file, of the
// groups the project holds to a higher bar, and of all; exits 1 when one is below its goal.
// Score = (killed + timed out) ÷ (killed + timed out + survived + not covered), as Stryker counts it:
// compile errors, runtime errors and ignored mutants are not valid mutants.
//   node scripts/mutationScore.js [report.json] [--check]
const { readFileSync } = require('fs');
const { join } = require('path');

const OVERALL_GOAL = 85;
const GROUP_GOAL = 90;
// The code that decides what is spent, refused or started: each group at least GROUP_GOAL.
const GROUPS = {
	'request budget': ['nodes/shared/budget.ts', 'nodes/shared/lastSecond.ts'],
	transport: ['nodes/shared/transport.ts', 'nodes/shared/envelope.ts', 'nodes/shared/retries.ts'],
	'Callback decision': ['nodes/MaxApi/wait/resumeDecision.ts', 'nodes/MaxApi/wait/parkedTasks.ts'],
	"Trigger's decision": [
		'nodes/MaxApiTrigger/triggerDecision.ts',
		'nodes/MaxApiTrigger/callbackRequest.ts',
		'nodes/MaxApiTrigger/startedOutcomes.ts',
	],
	'input checks': [
		'nodes/MaxApi/actions/task/submitInput.ts',
		'nodes/MaxApi/actions/task/submitOptions.ts',
		'nodes/MaxApi/actions/task/taskId.ts',
		'nodes/MaxApi/wait/parkable.ts',
		'nodes/shared/models/validate.ts',
		'nodes/shared/models/limits.ts',
		'nodes/shared/models/media.ts',
		'nodes/shared/urls.ts',
	],
};

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function tally(mutants) {
	const counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 0 };
	for (const { status } of mutants) {
		if (status === 'Killed') counts.killed++;
		else if (status === 'Timeout') counts.timeout++;
		else if (status === 'Survived') counts.survived++;
		else if (status === 'NoCoverage') counts.noCoverage++;
		else counts.invalid++;
	}
	const detected = mutants.filter((mutant) => DETECTED.has(mutant.status)).length;
	const valid = detected + mutants.filter((mutant) => UNDETECTED.has(mutant.status)).length;
	return { ...counts, valid, score: valid === 0 ? 100 : (100 * detected) / valid };
}

function row(name, t) {
	const cells = [
		t.score.toFixed(2).padStart(7),
		t.valid,
		t.killed,
		t.timeout,
		t.survived,
		t.noCoverage,
	];
	return `${cells
		.map(String)
		.map((cell) => cell.padStart(6))
		.join(' ')}  ${name}`;
}

function main() {
	const args = process.argv.slice(2);
	const check = args.includes('--check');
	const path =
		args.find((arg) => !arg.startsWith('--')) ?? join('reports', 'mutation', 'mutation.json');
	const report = JSON.parse(readFileSync(path, 'utf8'));
	const byFile = Object.fromEntries(
		Object.entries(report.files).map(([file, { mutants }]) => [file.replace(/\\/g, '/'), mutants]),
	);

	console.log(`  score  valid killed  t/out surviv no-cov  file`);
	for (const file of Object.keys(byFile).sort()) console.log(row(file, tally(byFile[file])));

	const failures = [];
	console.log('');
	for (const [group, files] of Object.entries(GROUPS)) {
		const present = files.filter((file) => byFile[file]);
		if (present.length === 0) continue; // a run of some files only (`--mutate`)
		const t = tally(present.flatMap((file) => byFile[file]));
		console.log(row(`${group} (goal ${GROUP_GOAL} %)`, t));
		if (t.score < GROUP_GOAL) failures.push(`${group}: ${t.score.toFixed(2)} %`);
	}
	const all = tally(Object.values(byFile).flat());
	console.log(row(`all (goal ${OVERALL_GOAL} %)`, all));
	if (all.score < OVERALL_GOAL) failures.push(`all: ${all.score.toFixed(2)} %`);

	if (failures.length > 0) {
		console.log(`\nbelow goal: ${failures.join('; ')}`);
		if (check) process.exitCode = 1;
	} else console.log('\nevery goal met');
}

main();
