/**
 * Submit's Options: rarely needed fields, and the Reference, the caller's own text for an item, which
 * comes out on this node's output and travels with the callback to the MaxApi Trigger.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { REFERENCE_PARAMETER } from '../../../shared/webhook';

export interface SubmitOptions {
	additionalInput?: string | IDataObject;
	callBackUrl?: string;
	checkModelLimits?: boolean;
	reference?: unknown;
	userId?: string;
}

export const MAX_REFERENCE_LENGTH = 200;

export const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Additional Input (JSON)',
			name: 'additionalInput',
			type: 'json',
			default: '{}',
			description:
				'More fields for MaxAPI\'s "input" object, merged over the fields above, e.g. {"ratio": "21:9"} for a value this node does not list yet',
		},
		{
			displayName: 'Callback URL',
			name: 'callBackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/…',
			description:
				'MaxAPI POSTs the finished task here (success or failure), e.g. the URL of a MaxApi Trigger. MaxAPI refuses localhost URLs.',
		},
		{
			displayName: 'Check Input Against Model Limits',
			name: 'checkModelLimits',
			type: 'boolean',
			default: true,
			description:
				"Whether to check media count, @N references, ratio, resolution, duration, mode and number of images against the model's documented limits before submitting. Turn off to send the input as it is, e.g. for limits newer than this node.",
		},
		{
			displayName: 'Reference',
			name: 'reference',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.row_number }}',
			description:
				'Your own text for this item (at most 200 characters), e.g. the row, chat or order that asked for it. It comes out as "reference" on this node\'s output and, with a Callback URL, on the MaxApi Trigger\'s: it travels in the callback URL, so it is your data, not something MaxAPI vouches for.',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			description: 'Your own ID for the end user, sent as user_id for tracing',
		},
	],
};

/**
 * The Reference of an item, or undefined if none is set. A number (a row number by expression) is text
 * too; anything else, or a longer text, stops the item before anything is sent.
 */
export function readReference(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): string | undefined {
	const reference = Number.isFinite(value) ? String(value) : value;
	if (reference === undefined || reference === null || reference === '') return undefined;
	if (typeof reference !== 'string') {
		throw new NodeOperationError(ctx.getNode(), `Reference: not text (${kindOf(reference)})`, {
			itemIndex,
			description:
				'Give text or a number, e.g. {{ $json.row_number }} or {{ $json.orderId }}, not a whole object or list. Nothing was sent to MaxAPI.',
		});
	}
	if (reference.length > MAX_REFERENCE_LENGTH) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Reference: ${reference.length} characters, at most ${MAX_REFERENCE_LENGTH}`,
			{
				itemIndex,
				description:
					'Give a short key (a row number, an ID) and look the rest up with it. Nothing was sent to MaxAPI.',
			},
		);
	}
	return reference;
}

function kindOf(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The callback URL with the reference added as a query parameter (encoded; set anew if present). */
export function withReference(callBackUrl: string, reference: string | undefined): string {
	if (reference === undefined) return callBackUrl;
	const url = new URL(callBackUrl);
	url.searchParams.set(REFERENCE_PARAMETER, reference);
	return url.toString();
}

/** The item's Reference for its error item, if it can be read (its own error is the item's error). */
export function referenceIfAny(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	try {
		const options = ctx.getNodeParameter('options', itemIndex, {}) as SubmitOptions;
		return readReference(ctx, options.reference, itemIndex);
	} catch {
		return undefined;
	}
}
