/** What the user is told about each error, and the error items (pure). */
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	asNodeError,
	describeApiError,
	describeConnectionError,
	errorItem,
	isObject,
} from '../../nodes/shared/errors';

const node = (onError?: INode['onError']): INode => ({
	id: 'n',
	name: 'MaxApi',
	type: 'n8n-nodes-maxapi.maxApi',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	...(onError ? { onError } : {}),
});
const read = { operation: 'get' as const };
const submit = { operation: 'submit' as const };

describe('isObject', () => {
	test('a JSON object, not null, not an array', () => {
		expect([{}, { a: 1 }].every(isObject)).toBe(true);
		expect([null, undefined, [], 'x', 1].some(isObject)).toBe(false);
	});
});

describe('describeApiError', () => {
	test('401 and 403: the key was refused', () => {
		expect(describeApiError({ code: 401, msg: '' }, read).message).toBe(
			'The API key was refused (401 unauthorized)',
		);
		expect(describeApiError({ code: 403, msg: 'nope' }, read).message).toBe(
			'The API key was refused (403 nope)',
		);
	});

	test('a moderation block names the flagged categories and says nothing was charged', () => {
		const text = describeApiError(
			{ code: 400, msg: 'x', data: { flagged: true, categories: { violence: true, hate: false } } },
			submit,
		);
		expect(text.message).toBe("MaxAPI's moderation blocked the request (flagged: violence)");
		expect(text.description).toMatch(/^Nothing was charged/);
		expect(
			describeApiError({ code: 400, msg: 'x', data: { flagged: true } }, submit).message,
		).toContain('flagged: unspecified');
	});

	test('404 names the task when there is one; without one it is a plain code', () => {
		expect(describeApiError({ code: 404, msg: '' }, { ...read, taskId: 't' }).message).toBe(
			'Task "t" was not found',
		);
		expect(describeApiError({ code: 404, msg: 'gone' }, submit).message).toBe(
			'MaxAPI answered with code 404: gone',
		);
	});

	test('429 is a rate limit', () => {
		expect(describeApiError({ code: 429, msg: '' }, read).message).toBe(
			'MaxAPI is rate limiting requests (429)',
		);
	});

	test('a server error on a submit says to look before submitting again; on a read, to try later', () => {
		expect(describeApiError({ code: 500, msg: 'boom' }, submit)).toEqual({
			message: 'MaxAPI had a server error (500: boom)',
			description: expect.stringMatching(/may or may not have been created/),
		});
		expect(describeApiError({ code: 503, msg: '' }, read)).toEqual({
			message: 'MaxAPI had a server error (503)',
			description: 'Try again later.',
		});
	});

	test('another 400 gives MaxAPI’s words and says nothing was charged; other codes are named', () => {
		expect(describeApiError({ code: 400, msg: 'duration too long' }, submit)).toEqual({
			message: 'MaxAPI rejected the request: duration too long',
			description: 'Fix the field MaxAPI names, then try again. Nothing was charged.',
		});
		expect(describeApiError({ code: 400, msg: '' }, submit).message).toBe(
			'MaxAPI rejected the request: invalid request',
		);
		expect(describeApiError({ code: 418, msg: '' }, read).message).toBe(
			'MaxAPI answered with code 418',
		);
	});
});

describe('describeConnectionError', () => {
	test('a submit that may have arrived is not sent again, and the user is told to look first', () => {
		const [message, { description }] = describeConnectionError('ECONNRESET', 'submit');
		expect(message).toBe('Could not reach MaxAPI: the connection was reset');
		expect(description).toMatch(/may have reached MaxAPI.*\(ECONNRESET\)$/);
	});

	test('a submit that provably never left, and any read, point at the Base URL and the network', () => {
		for (const [code, operation] of [
			['ECONNREFUSED', 'submit'],
			['ECONNRESET', 'get'],
		] as const) {
			const [, { description }] = describeConnectionError(code, operation);
			expect(description).toBe(
				`Check the Base URL in the MaxAPI credential and the network between n8n and MaxAPI. (${code})`,
			);
		}
		expect(describeConnectionError('EWHAT', 'get')[0]).toBe(
			'Could not reach MaxAPI: a network error',
		);
	});
});

describe('asNodeError', () => {
	test('keeps n8n errors as they are and wraps anything else, with the item', () => {
		const apiError = new NodeApiError(node(), { message: 'x' });
		expect(asNodeError(node(), apiError)).toBe(apiError);
		const operationError = new NodeOperationError(node(), 'y');
		expect(asNodeError(node(), operationError)).toBe(operationError);
		const wrapped = asNodeError(node(), new Error('plain'), 3);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('plain');
		expect(wrapped.context.itemIndex).toBe(3);
	});
});

describe('errorItem', () => {
	const error = new NodeOperationError(node(), 'Task t failed', { description: 'Try again' });

	test('regular output: the json with error and description added, paired with its item', () => {
		expect(errorItem(node(), error, 2, { taskId: 't' })).toEqual({
			json: { taskId: 't', error: 'Task t failed', description: 'Try again' },
			pairedItem: { item: 2 },
		});
		expect(errorItem(node(), new NodeOperationError(node(), 'bare'), 0).json).toEqual({
			error: 'bare',
		});
	});

	test('error output: only error and details, so that n8n moves the item there', () => {
		expect(errorItem(node('continueErrorOutput'), error, 1, { taskId: 't' })).toEqual({
			json: { error: 'Task t failed', details: { taskId: 't', description: 'Try again' } },
			pairedItem: { item: 1 },
		});
	});
});
