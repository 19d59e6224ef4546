/**
 * Whether a run can wait for callbacks (Callback (Resume)), checked before anything is sent: its size,
 * and an address that MaxAPI can call back.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isLocalUrl } from '../../shared/urls';

/**
 * The most tasks one parked execution waits for. n8n loads the whole execution (and starts an expression
 * isolate) for every callback, so a callback costs it more the bigger the batch, and callbacks that come
 * faster than it can take them pile up until it stops answering. Measured in n8n 2.41 (one process, 2
 * cores, tasks of 10–30 s): 500 items resume in 1.1 × the slowest task; 1000 items swamp it.
 */
export const MAX_PARKED_TASKS = 500;
// The chunk to advise for more: in a loop each chunk's execution also holds the chunks before it, so
// every callback costs n8n more than in one batch of the same size.
const ADVISED_CHUNK = 250;

/** Refuses, before anything is sent, a batch too big for one parked execution. */
export function checkParkable(ctx: IExecuteFunctions, itemCount: number): void {
	if (itemCount <= MAX_PARKED_TASKS) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`Wait for Completion: Callback (Resume) waits for at most ${MAX_PARKED_TASKS} items in one execution, and this run has ${itemCount}`,
		{
			description: `n8n loads the whole parked execution for every callback, so a bigger batch can swamp n8n when its tasks finish close together. Put a Loop Over Items node with a Batch Size of ${ADVISED_CHUNK} in front of this node (and this node's output back into it), or choose Poll. Nothing was sent to MaxAPI.`,
		},
	);
}

/** The URL MaxAPI calls back: this execution's resume URL, which carries n8n's resume token. */
export function resumeUrlFor(ctx: IExecuteFunctions, apiIsLocal: boolean): string {
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	if (!apiIsLocal && isLocalUrl(resumeUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Wait for Completion: n8n's webhook address here is ${new URL(resumeUrl).origin}, which MaxAPI cannot call back`,
			{
				description:
					'MaxAPI refuses localhost callback URLs. Set the WEBHOOK_URL environment variable of n8n to its public address (e.g. https://n8n.example.com/, or a tunnel such as ngrok while testing) and restart n8n, or choose Poll. Nothing was sent to MaxAPI.',
			},
		);
	}
	return resumeUrl;
}
