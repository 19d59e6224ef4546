import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, jsonParse } from 'n8n-workflow';

import { CREDENTIAL_TYPE, apiRequest } from '../../../shared/transport';
import { ALL_MODELS, FAMILIES, findFamily, type Family, type ModelSpec } from '../../models/catalogue';
import {
	findInputProblems,
	generationMode,
	isLocalHost,
	type InputProblem,
	type SubmitPlan,
} from '../../models/validate';

interface SubmitOptions {
	additionalInput?: string | IDataObject;
	callBackUrl?: string;
	checkModelLimits?: boolean;
	userId?: string;
}

/**
 * The panel fields a model takes. Each is sent only when set, so MaxAPI's own default applies otherwise.
 * A model id outside the catalogue takes its fields from Additional Input (JSON).
 */
function panelFieldsOf(model: ModelSpec | undefined): string[] {
	if (!model) return [];
	const free = model.freeFields ?? [];
	const takes: Record<string, boolean> = {
		ratio: model.ratios !== undefined || free.includes('ratio'),
		resolution: model.resolutions !== undefined || free.includes('resolution'),
		duration: model.durations !== undefined || free.includes('duration'),
		mode: model.modes !== undefined,
		n: model.n !== undefined,
		fallback: model.fallback === true,
	};
	return Object.keys(takes).filter((field) => takes[field]);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as SubmitOptions;
	const plan = readPlan(this, itemIndex, options);
	const { baseUrl } = await this.getCredentials<{ baseUrl: string }>(CREDENTIAL_TYPE, itemIndex);

	const problems = findInputProblems(plan, {
		checkModelLimits: options.checkModelLimits !== false,
		apiIsLocal: isLocalUrl(baseUrl),
	});
	if (problems.length > 0) throw inputError(this, problems, itemIndex);

	const body: IDataObject = { model: plan.modelId, input: plan.input as IDataObject };
	if (plan.callBackUrl) body.callBackUrl = plan.callBackUrl;
	if (options.userId) body.user_id = options.userId;

	const data = (await apiRequest(this, {
		method: 'POST',
		path: '/api/v1/task/submit',
		body,
		retry: 'submit',
		itemIndex,
		operation: 'submit',
	})) as { taskId?: unknown } | undefined;

	if (typeof data?.taskId !== 'string' || data.taskId === '') {
		throw new NodeApiError(this.getNode(), { data: JSON.stringify(data ?? null) }, {
			message: 'MaxAPI accepted the request but returned no task ID',
			description: 'Look for the task in the MaxAPI dashboard before submitting again.',
			itemIndex,
		});
	}
	return [
		{
			json: {
				taskId: data.taskId,
				model: plan.modelId,
				generationMode: generationMode(plan),
				request: body,
			},
		},
	];
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
		(model && FAMILIES.find((candidate) => candidate.models.includes(model))) ?? selectedFamily ?? FAMILIES[0];

	const input: Record<string, unknown> = { prompt: ctx.getNodeParameter('prompt', itemIndex, '') };
	const panelMedia = parseMediaList(ctx.getNodeParameter('mediaUrls', itemIndex, ''));
	if (panelMedia.length > 0) input[family.mediaField] = panelMedia;
	for (const field of panelFieldsOf(model)) {
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
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'Additional Input (JSON): not a JSON object', {
			itemIndex,
			description: 'Write a JSON object such as {"ratio": "21:9"}, or leave it as {}.',
		});
	}
	return parsed as IDataObject;
}

function isLocalUrl(baseUrl: string): boolean {
	try {
		return isLocalHost(new URL(baseUrl).hostname);
	} catch {
		return false;
	}
}

function inputError(ctx: IExecuteFunctions, problems: InputProblem[], itemIndex: number) {
	const [first, ...others] = problems;
	const more = others.map((problem) => `${problem.field}: ${problem.message}. ${problem.fix}`);
	return new NodeOperationError(ctx.getNode(), `${first.field}: ${first.message}`, {
		itemIndex,
		description: [`${first.fix} Nothing was sent to MaxAPI.`, ...more].join('\n'),
	});
}
