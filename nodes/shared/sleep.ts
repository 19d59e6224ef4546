import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * n8n-workflow's sleep, ended early (rejecting) when `signal` aborts. n8n 2.x's sleep takes the signal
 * itself; n8n 1.x's ignores it, and a poll that waits to be woken would then sleep its whole interval.
 */
export async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) throw new Error('aborted');
	let onAbort = () => {};
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new Error('aborted'));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms, signal), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** The execution's cancel signal: a node run has one, a webhook call does not. */
export function cancelSignalOf(
	ctx: IExecuteFunctions | IWebhookFunctions,
): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}
