// The benchmarks' goal lines, one format for `npm run bench` and `npm run bench:n8n`:
// `goal <what>: <measured> (goal <target>) ok|MISSED`, and a last line with how many were met.
const results = [];

function goal(what, measured, target, ok) {
	results.push(ok);
	console.log(`goal ${what}: ${measured} (goal ${target}) ${ok ? 'ok' : 'MISSED'}`);
}

function printGoalSummary() {
	const missed = results.filter((ok) => !ok).length;
	console.log(`\n${results.length - missed} goals met, ${missed} missed`);
}

module.exports = { goal, printGoalSummary };
