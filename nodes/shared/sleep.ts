import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

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

/**
 * Waits, unless the execution is stopped meanwhile (n8n recognises the "canceled" in the message), or
 * until `wake` is aborted, which ends the wait early without an error.
 */
export async function pause(
	ctx: IExecuteFunctions | IWebhookFunctions,
	ms: number,
	wake?: AbortSignal,
): Promise<void> {
	const cancel = cancelSignalOf(ctx);
	try {
		await sleepUnlessAborted(
			ms,
			cancel && wake ? AbortSignal.any([cancel, wake]) : (cancel ?? wake),
		);
	} catch {
		if (!wake?.aborted || cancel?.aborted) {
			throw new NodeOperationError(ctx.getNode(), 'The execution was canceled');
		}
	}
}
