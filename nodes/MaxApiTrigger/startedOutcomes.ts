/**
 * The outcomes a Trigger node has started its workflow for: in this process's memory, which catches
 * every copy that reaches this process, and in the workflow's static data, which other processes (queue
 * mode) and restarts go by.
 *
 * n8n loads a workflow's static data from its database for each webhook call and saves it whole after
 * webhook() returns, if anything was assigned to it, from the copy loaded when the call came. So a call
 * that starts nothing writes nothing (on a fresh workflow even `seenOutcomes ??= {}` would save an empty
 * record over one another call has just saved), and a call that starts one writes every outcome this
 * process has started besides those it loaded: a save by a call that loaded static data before this one
 * is then undone by this process's next save.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { BoundedMemory } from '../shared/boundedMemory';

// Each outcome is remembered this long (result URLs live 7 days) and at most this many.
// Stryker disable next-line ArithmeticOperator: module-level, computed before Stryker activates a mutant; startedOutcomes.test.ts checks 7 and 9 days
const REMEMBER_MS = 8 * 24 * 60 * 60_000;
const REMEMBER_MAX = 5000;

const startedHere = new BoundedMemory<true>(REMEMBER_MAX, REMEMBER_MS);

export class StartedOutcomes {
	/** As loaded from static data for this call: outcome → when it was started. */
	private readonly saved: Record<string, number>;

	/** `nodeKey`: the node, in its workflow and mode (editor tests apart from the active workflow). */
	constructor(
		private readonly ctx: IWebhookFunctions,
		private readonly nodeKey: string,
	) {
		this.saved = (ctx.getWorkflowStaticData('node').seenOutcomes ?? {}) as Record<string, number>;
	}

	has(outcome: string): boolean {
		return startedHere.has(`${this.nodeKey}:${outcome}`) || this.saved[outcome] !== undefined;
	}

	/** Records a started outcome, here and (saved by n8n after webhook()) in static data. */
	record(outcome: string, now = Date.now()): void {
		startedHere.set(`${this.nodeKey}:${outcome}`, true, now);
		const prefix = `${this.nodeKey}:`;
		const all = new BoundedMemory<true>(REMEMBER_MAX, REMEMBER_MS);
		const known: Array<[string, number]> = [
			...Object.entries(this.saved),
			...startedHere
				.entries(prefix, now)
				.map(([key, at]): [string, number] => [key.slice(prefix.length), at]),
		];
		for (const [key, at] of known.sort((a, b) => a[1] - b[1])) all.set(key, true, at);
		this.ctx.getWorkflowStaticData('node').seenOutcomes = Object.fromEntries(all.entries('', now));
	}
}
