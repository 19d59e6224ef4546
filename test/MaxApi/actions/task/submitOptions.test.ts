/** Submit's Options: the Reference read and checked, and carried in the callback URL (pure, stub context). */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	MAX_REFERENCE_LENGTH,
	readReference,
	referenceIfAny,
	withReference,
} from '../../../../nodes/MaxApi/actions/task/submitOptions';

const ctx = (options: unknown = {}) =>
	({
		getNode: () => ({ name: 'MaxApi' }),
		getNodeParameter: () => options,
	}) as unknown as IExecuteFunctions;

function errorOf(run: () => unknown) {
	try {
		run();
	} catch (error) {
		return error as { message: string; description: string; context: { itemIndex: number } };
	}
	throw new Error('no error');
}

describe('readReference', () => {
	test('text as it is, a number as text, nothing when unset', () => {
		expect(readReference(ctx(), '  Row 7 & more  ', 0)).toBe('  Row 7 & more  ');
		expect(readReference(ctx(), 12, 0)).toBe('12');
		expect(readReference(ctx(), 0, 0)).toBe('0');
		for (const unset of [undefined, null, ''])
			expect(readReference(ctx(), unset, 0)).toBeUndefined();
	});

	test('up to 200 characters; one more stops the item, naming the field and saying nothing was sent', () => {
		const longest = 'é'.repeat(MAX_REFERENCE_LENGTH);
		expect(readReference(ctx(), longest, 0)).toBe(longest);
		const error = errorOf(() => readReference(ctx(), `${longest}x`, 3));
		expect(error.message).toBe('Reference: 201 characters, at most 200');
		expect(error.description).toMatch(/Nothing was sent to MaxAPI\.$/);
		expect(error.context.itemIndex).toBe(3);
	});

	test.each([
		[{ row: 7 }, 'an object'],
		[[7], 'a list'],
		[true, 'a boolean'],
		[Number.NaN, 'a number'],
	])('%p is not text: the item stops', (value, kind) => {
		const error = errorOf(() => readReference(ctx(), value, 1));
		expect(error.message).toBe(`Reference: not text (${kind})`);
		expect(error.description).toMatch(/\$json\.row_number.*Nothing was sent to MaxAPI\.$/);
	});
});

describe('withReference', () => {
	test('adds the reference as a query parameter, encoded, keeping what the URL holds', () => {
		const url = withReference(
			'https://n8n.example.com/webhook/abc/callback?secret=s3cret#frag',
			'Row 7 · Ü & a=b #1',
		);
		const parsed = new URL(url);
		expect(parsed.searchParams.get('secret')).toBe('s3cret');
		expect(parsed.searchParams.get('reference')).toBe('Row 7 · Ü & a=b #1');
		expect(parsed.hash).toBe('#frag');
		expect(parsed.pathname).toBe('/webhook/abc/callback');
	});

	test('a reference already in the URL is replaced; no reference leaves the URL alone', () => {
		const url = withReference('https://h.example/x?reference=old&a=1', 'new');
		expect(new URL(url).searchParams.getAll('reference')).toEqual(['new']);
		expect(withReference('https://h.example/x?a=%20b', undefined)).toBe(
			'https://h.example/x?a=%20b',
		);
	});
});

describe('referenceIfAny', () => {
	test('the reference for an error item, or none when it cannot be read', () => {
		expect(referenceIfAny(ctx({ reference: 'row 1' }), 0)).toBe('row 1');
		expect(referenceIfAny(ctx({ reference: { bad: true } }), 0)).toBeUndefined();
		expect(referenceIfAny(ctx({}), 0)).toBeUndefined();
	});
});
