/**
 * One input item's Submit fields, read into the request that will be sent (a SubmitPlan) and checked
 * before any credit is spent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, jsonParse } from 'n8n-workflow';

import { isObject } from '../../../shared/errors';
import { ALL_MODELS, FAMILIES, findFamily, type Family } from '../../../shared/models/catalogue';
import { fieldsTakenBy } from '../../../shared/models/fields';
import {
	findInputProblems,
	type InputProblem,
	type SubmitPlan,
} from '../../../shared/models/validate';
import { readReference, withReference, type SubmitOptions } from './submitOptions';

/** Reads and checks item `itemIndex`; with Callback (Resume), `resumeUrl` becomes its callback URL. */
export function checkedPlan(
	ctx: IExecuteFunctions,
	itemIndex: number,
	apiIsLocal: boolean,
	resumeUrl?: string,
): SubmitPlan {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as SubmitOptions;
	if (resumeUrl && options.callBackUrl) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Callback URL: not used with Wait for Completion "Callback (Resume)"',
			{
				itemIndex,
				description:
					'In that mode the node sets the callback URL itself. Clear Callback URL, or choose another way to wait.',
			},
		);
	}
	const plan = readPlan(ctx, itemIndex, options);
	if (resumeUrl) plan.callBackUrl = resumeUrl;
	const problems = findInputProblems(plan, {
		checkModelLimits: options.checkModelLimits !== false,
		apiIsLocal,
	});
	if (problems.length > 0) throw inputError(ctx, problems, itemIndex);
	// The Trigger finds the reference in its own URL (the resume URL needs none: the items are parked).
	if (!resumeUrl && plan.callBackUrl)
		plan.callBackUrl = withReference(plan.callBackUrl, plan.reference);
	return plan;
}

function readPlan(ctx: IExecuteFunctions, itemIndex: number, options: SubmitOptions): SubmitPlan {
	const modelId = String(ctx.getNodeParameter('model', itemIndex, '')).trim();
	if (modelId === '') {
		throw new NodeOperationError(ctx.getNode(), 'Model: no model is set', {
			itemIndex,
			description: 'Choose a model, or check that the expression gives a model ID for this item.',
		});
	}
	const selectedFamily = findFamily(ctx.getNodeParameter('family', itemIndex, '') as string);
	// A model typed by expression may belong to another family than the one selected; its own wins.
	const model = ALL_MODELS.find((candidate) => candidate.id === modelId);
	const family: Family =
		(model && FAMILIES.find((candidate) => candidate.models.includes(model))) ??
		selectedFamily ??
		FAMILIES[0];

	const input: Record<string, unknown> = { prompt: ctx.getNodeParameter('prompt', itemIndex, '') };
	const panelMedia = parseMediaList(ctx.getNodeParameter('mediaUrls', itemIndex, ''));
	if (panelMedia.length > 0) input[family.mediaField] = panelMedia;
	for (const field of fieldsTakenBy(model)) {
		// Fields the chosen model does not show are absent; null, '' and 0 mean "not set".
		const value = asNumberIfNumeric(field, ctx.getNodeParameter(field, itemIndex, null));
		if (value !== null && value !== '' && value !== 0 && value !== false) input[field] = value;
	}
	Object.assign(input, parseAdditionalInput(ctx, options.additionalInput, itemIndex));

	const sentMedia = input[family.mediaField];
	return {
		family,
		model,
		modelId,
		input,
		media: Array.isArray(sentMedia) ? sentMedia.map(String) : [],
		callBackUrl: options.callBackUrl?.trim() || undefined,
		userId: options.userId || undefined,
		reference: readReference(ctx, options.reference, itemIndex),
	};
}

/** Numbers from a sheet or a form arrive as text; MaxAPI wants JSON numbers for duration and n. */
function asNumberIfNumeric(field: string, value: unknown): unknown {
	const numeric = field === 'duration' || field === 'n';
	return numeric && typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

/** A list of URLs from text (commas, spaces or new lines between them) or from an expression's array. */
export function parseMediaList(value: unknown): string[] {
	const items = Array.isArray(value) ? value : String(value ?? '').split(/[\s,]+/);
	return items.map((item) => String(item ?? '').trim()).filter((item) => item !== '');
}

function parseAdditionalInput(
	ctx: IExecuteFunctions,
	value: string | IDataObject | undefined,
	itemIndex: number,
): IDataObject {
	if (value === undefined || value === '') return {};
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = jsonParse(value);
		} catch {
			parsed = undefined;
		}
	}
	if (!isObject(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'Additional Input (JSON): not a JSON object', {
			itemIndex,
			description: 'Write a JSON object such as {"ratio": "21:9"}, or leave it as {}.',
		});
	}
	return parsed;
}

function inputError(ctx: IExecuteFunctions, problems: InputProblem[], itemIndex: number) {
	const [first, ...others] = problems;
	const more = others.map((problem) => `${problem.field}: ${problem.message}. ${problem.fix}`);
	return new NodeOperationError(ctx.getNode(), `${first.field}: ${first.message}`, {
		itemIndex,
		description: [`${first.fix} Nothing was sent to MaxAPI.`, ...more].join('\n'),
	});
}
