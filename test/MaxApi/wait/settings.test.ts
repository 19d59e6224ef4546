/** The wait settings read from the panel (pure, on a stub of getNodeParameter). */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { readWaitSettings, waitFields } from '../../../nodes/MaxApi/wait/settings';

/** A node run's context, or (webhook) a callback's, whose parameters are `values`. */
function contextWith(values: Record<string, unknown>, kind: 'execute' | 'webhook' = 'execute') {
	const read = (name: string, fallback: unknown) => (name in values ? values[name] : fallback);
	return (kind === 'execute'
		? {
				getInputData: () => [],
				getNodeParameter: (name: string, itemIndex: number, fallback: unknown) => {
					expect(itemIndex).toBe(0);
					return read(name, fallback);
				},
			}
		: {
				getNodeParameter: (name: string, fallback: unknown) => read(name, fallback),
			}) as unknown as IExecuteFunctions | IWebhookFunctions;
}

describe('readWaitSettings', () => {
	test('the defaults: Poll, an hour, an error at the limit, polls up to a minute apart, 10 s first', () => {
		expect(readWaitSettings(contextWith({}))).toEqual({
			mode: 'poll',
			timeLimitMinutes: 60,
			onTimeLimit: 'error',
			downloadResults: false,
			maxPollIntervalMs: 60_000,
			pollFirstMs: 10_000,
		});
	});

	test('what the panel says, read for the first item of a run or in a callback', () => {
		const values = {
			waitForCompletion: 'callback',
			timeLimitMinutes: 240,
			onTimeLimit: 'output',
			downloadResults: true,
			maxPollIntervalSeconds: 5,
			pollFirstSeconds: 0,
		};
		const expected = {
			mode: 'callback',
			timeLimitMinutes: 240,
			onTimeLimit: 'output',
			downloadResults: true,
			maxPollIntervalMs: 5000,
			pollFirstMs: 0,
		};
		expect(readWaitSettings(contextWith(values))).toEqual(expected);
		expect(readWaitSettings(contextWith(values, 'webhook'))).toEqual(expected);
	});

	test('a setting left out is read as the field shows it by default', () => {
		const defaults = Object.fromEntries(
			waitFields
				.filter((field) => field.type !== 'notice')
				.map((field) => [field.name, field.default]),
		);
		expect(readWaitSettings(contextWith({}))).toEqual(readWaitSettings(contextWith(defaults)));
	});

	test('the Wait operation always polls, whatever the field says', () => {
		expect(readWaitSettings(contextWith({ waitForCompletion: 'none' }), 'poll').mode).toBe('poll');
	});

	test('Download Result Files means nothing when the node does not wait', () => {
		expect(
			readWaitSettings(contextWith({ waitForCompletion: 'none', downloadResults: true }))
				.downloadResults,
		).toBe(false);
		expect(
			readWaitSettings(contextWith({ waitForCompletion: 'poll', downloadResults: 'true' }))
				.downloadResults,
		).toBe(false);
	});

	test('numbers from expressions are read as numbers; nonsense falls back, and each has its floor', () => {
		const settings = readWaitSettings(
			contextWith({ timeLimitMinutes: '30', maxPollIntervalSeconds: 'x', pollFirstSeconds: -5 }),
		);
		expect(settings).toMatchObject({
			timeLimitMinutes: 30,
			maxPollIntervalMs: 60_000,
			pollFirstMs: 0,
		});
		const floors = readWaitSettings(
			contextWith({ timeLimitMinutes: 0.001, maxPollIntervalSeconds: 0.2, pollFirstSeconds: 'x' }),
		);
		expect(floors).toMatchObject({
			timeLimitMinutes: 0.05,
			maxPollIntervalMs: 1000,
			pollFirstMs: 0,
		});
		expect(readWaitSettings(contextWith({ timeLimitMinutes: 0 })).timeLimitMinutes).toBe(60);
		expect(readWaitSettings(contextWith({ onTimeLimit: 'other' })).onTimeLimit).toBe('error');
	});
});
