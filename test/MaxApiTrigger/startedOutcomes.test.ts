/**
 * The Trigger's record of started outcomes, on a stub of the one thing it uses (static data, as n8n
 * loads it for each webhook call); triggerWebhook.test.ts and the real-n8n suites run it in n8n.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { StartedOutcomes } from '../../nodes/MaxApiTrigger/startedOutcomes';

const DAY = 24 * 60 * 60_000;
let nodeCount = 0;

/** A webhook call's context with its own copy of static data, as n8n gives each call. */
function call(saved?: Record<string, number>): { ctx: IWebhookFunctions; staticData: IDataObject } {
	const staticData: IDataObject = saved ? { seenOutcomes: { ...saved } } : {};
	const ctx = { getWorkflowStaticData: () => staticData } as unknown as IWebhookFunctions;
	return { ctx, staticData };
}

describe('StartedOutcomes', () => {
	let nodeKey: string;
	beforeEach(() => (nodeKey = `webhook:wf:node-${++nodeCount}`));

	test('an outcome saved in static data (by another process) is started', () => {
		const { ctx } = call({ 'a:SUCCESS': Date.now() });
		const started = new StartedOutcomes(ctx, nodeKey);
		expect(started.has('a:SUCCESS')).toBe(true);
		expect(started.has('a:FAILURE')).toBe(false);
	});

	test('a call that only looks writes nothing to static data', () => {
		const { ctx, staticData } = call();
		new StartedOutcomes(ctx, nodeKey).has('a:SUCCESS');
		expect(staticData).toEqual({});
	});

	test('a recorded outcome is known to later calls of this process, whatever static data they loaded', () => {
		const first = call();
		const now = Date.now();
		new StartedOutcomes(first.ctx, nodeKey).record('a:SUCCESS', now);
		expect(first.staticData.seenOutcomes).toEqual({ 'a:SUCCESS': now });
		// A call that loaded static data before that save was made:
		expect(new StartedOutcomes(call().ctx, nodeKey).has('a:SUCCESS')).toBe(true);
		// Another node (or the editor's test mode) keeps its own record.
		expect(new StartedOutcomes(call().ctx, `${nodeKey}-other`).has('a:SUCCESS')).toBe(false);
	});

	test('a save writes what it loaded and every outcome this process started for the node, so an older save is undone', () => {
		const now = Date.now();
		new StartedOutcomes(call().ctx, nodeKey).record('a:SUCCESS', now - 2000);
		// Loaded static data from before a's save (an overlapping call), with an outcome from elsewhere:
		const late = call({ 'elsewhere:SUCCESS': now - 3000 });
		new StartedOutcomes(late.ctx, nodeKey).record('b:FAILURE', now);
		expect(late.staticData.seenOutcomes).toEqual({
			'elsewhere:SUCCESS': now - 3000,
			'a:SUCCESS': now - 2000,
			'b:FAILURE': now,
		});
	});

	test('outcomes older than 8 days are dropped from static data when it is written', () => {
		const now = Date.now();
		const { ctx, staticData } = call({
			'old:SUCCESS': now - 9 * DAY,
			'recent:SUCCESS': now - 7 * DAY,
		});
		new StartedOutcomes(ctx, nodeKey).record('new:SUCCESS', now);
		expect(Object.keys(staticData.seenOutcomes as IDataObject)).toEqual([
			'recent:SUCCESS',
			'new:SUCCESS',
		]);
	});

	test('the oldest go first by when they were started, whatever order static data holds them in', () => {
		const now = Date.now();
		const saved: Record<string, number> = { 'newest-saved:SUCCESS': now - 10 };
		for (let index = 0; index < 4999; index++) saved[`t${index}:SUCCESS`] = now - 5000 + index;
		const { ctx, staticData } = call(saved);
		new StartedOutcomes(ctx, nodeKey).record('new:SUCCESS', now);
		const kept = Object.keys(staticData.seenOutcomes as IDataObject);
		expect(kept).toHaveLength(5000);
		expect(kept).toContain('newest-saved:SUCCESS');
		expect(kept).not.toContain('t0:SUCCESS');
	});

	test('at most 5000 outcomes are kept, the oldest going first', () => {
		const now = Date.now();
		const saved = Object.fromEntries(
			Array.from({ length: 5000 }, (_, index) => [`t${index}:SUCCESS`, now - 5000 + index]),
		);
		const { ctx, staticData } = call(saved);
		new StartedOutcomes(ctx, nodeKey).record('newest:SUCCESS', now);
		const kept = Object.keys(staticData.seenOutcomes as IDataObject);
		expect(kept).toHaveLength(5000);
		expect(kept[0]).toBe('t1:SUCCESS');
		expect(kept[kept.length - 1]).toBe('newest:SUCCESS');
	});
});
