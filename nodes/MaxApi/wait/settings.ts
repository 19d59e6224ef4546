import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

export type WaitMode = 'none' | 'poll' | 'callback';

export interface WaitSettings {
	mode: WaitMode;
	timeLimitMinutes: number;
	/** Poll: what a task still running at the time limit becomes. */
	onTimeLimit: 'error' | 'output';
	downloadResults: boolean;
	maxPollIntervalMs: number;
	/** Callback: how long to poll before parking, so tasks that end quickly need no callback. */
	pollFirstMs: number;
}

export const DEFAULT_TIME_LIMIT_MINUTES = 60;
export const DEFAULT_MAX_POLL_INTERVAL_SECONDS = 60;
export const DEFAULT_POLL_FIRST_SECONDS = 10;

/** The wait settings apply to the whole run, so they are read once, for the first item. */
export function readWaitSettings(ctx: IExecuteFunctions | IWebhookFunctions): WaitSettings {
	const get = (name: string, fallback: unknown) =>
		'getInputData' in ctx ? ctx.getNodeParameter(name, 0, fallback) : ctx.getNodeParameter(name, fallback);
	const mode = get('waitForCompletion', 'none') as WaitMode;
	return {
		mode,
		timeLimitMinutes: Math.max(Number(get('timeLimitMinutes', DEFAULT_TIME_LIMIT_MINUTES)) || DEFAULT_TIME_LIMIT_MINUTES, 0.05),
		onTimeLimit: get('onTimeLimit', 'error') === 'output' ? 'output' : 'error',
		downloadResults: mode !== 'none' && get('downloadResults', false) === true,
		maxPollIntervalMs:
			1000 * Math.max(Number(get('maxPollIntervalSeconds', DEFAULT_MAX_POLL_INTERVAL_SECONDS)) || DEFAULT_MAX_POLL_INTERVAL_SECONDS, 1),
		pollFirstMs: 1000 * Math.max(Number(get('pollFirstSeconds', DEFAULT_POLL_FIRST_SECONDS)) || 0, 0),
	};
}
