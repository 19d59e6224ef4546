import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, jsonParse } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { CREDENTIAL_TYPE, apiRequest } from '../../../shared/transport';
import { resumeUrlFor, parkUntilCallbacks } from '../../wait/callback';
import { finishItems, type ItemState } from '../../wait/outcome';
import { pollUntilFinished } from '../../wait/poll';
import { readWaitSettings } from '../../wait/settings';
import { ALL_MODELS, FAMILIES, findFamily, type Family, type ModelSpec } from '../../models/catalogue';
import {
	findInputProblems,
	generationMode,
	isLocalUrl,
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

/**
 * Submit runs for all items at once: every item is checked before the first task is paid for, tasks are
 * submitted one after another (never twice), then the node waits for them as the user chose.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const settings = readWaitSettings(this);
	const { baseUrl } = await this.getCredentials<{ baseUrl: string }>(CREDENTIAL_TYPE);
	const apiIsLocal = isLocalUrl(baseUrl);
	const resumeUrl = settings.mode === 'callback' ? resumeUrlFor(this, apiIsLocal) : undefined;

	const states: ItemState[] = [];
	const plans = new Map<number, SubmitPlan>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans.set(itemIndex, checkedPlan(this, itemIndex, apiIsLocal, resumeUrl));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			states[itemIndex] = { kind: 'failed', itemIndex, error: asNodeError(this.getNode(), error, itemIndex) };
		}
	}

	const submitted: Array<{ itemIndex: number; taskId: string }> = [];
	for (const [itemIndex, plan] of plans) {
		try {
			const taskId = await submitTask(this, plan, itemIndex);
			submitted.push({ itemIndex, taskId });
			states[itemIndex] =
				settings.mode === 'none'
					? { kind: 'settled', itemIndex, item: { json: submitOutput(plan, taskId), pairedItem: { item: itemIndex } } }
					: { kind: 'task', itemIndex, taskId, submittedAt: Date.now() };
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw withSubmittedTasks(nodeError, submitted);
			states[itemIndex] = { kind: 'failed', itemIndex, error: nodeError };
		}
	}

	const onItemError = this.continueOnFail() ? 'item' : 'throw';
	const taskStates = states.filter((state): state is Extract<ItemState, { kind: 'task' }> => state.kind === 'task');
	const timeLimitMs = settings.timeLimitMinutes * 60_000;
	if (settings.mode === 'poll') {
		await pollUntilFinished(this, taskStates, { deadline: Date.now() + timeLimitMs, maxIntervalMs: settings.maxPollIntervalMs });
	}
	if (settings.mode === 'callback') {
		// n8n refuses (409) a callback that comes before the execution is saved as waiting, and MaxAPI may
		// not call again: tasks that end in the first seconds are polled instead of waited for. The last
		// read before parking sees every task that has ended by then, so reads in between only let a
		// batch that is done early end early; they come each time a task's age doubles (1, 2, 4, 8 s).
		const pollFor = Math.min(settings.pollFirstMs, timeLimitMs);
		await pollUntilFinished(this, taskStates, { deadline: Date.now() + pollFor, maxIntervalMs: settings.maxPollIntervalMs, ageFraction: 1 });
		return await parkUntilCallbacks(this, states, settings);
	}
	return await finishItems(this, states, settings, onItemError);
}

function checkedPlan(ctx: IExecuteFunctions, itemIndex: number, apiIsLocal: boolean, resumeUrl?: string): SubmitPlan {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as SubmitOptions;
	if (resumeUrl && options.callBackUrl) {
		throw new NodeOperationError(ctx.getNode(), 'Callback URL: not used with Wait for Completion "Callback (Resume)"', {
			itemIndex,
			description: 'In that mode the node sets the callback URL itself. Clear Callback URL, or choose another way to wait.',
		});
	}
	const plan = readPlan(ctx, itemIndex, options);
	if (resumeUrl) plan.callBackUrl = resumeUrl;
	const problems = findInputProblems(plan, {
		checkModelLimits: options.checkModelLimits !== false,
		apiIsLocal,
	});
	if (problems.length > 0) throw inputError(ctx, problems, itemIndex);
	return plan;
}

function requestBody(plan: SubmitPlan): IDataObject {
	const body: IDataObject = { model: plan.modelId, input: plan.input as IDataObject };
	if (plan.callBackUrl) body.callBackUrl = plan.callBackUrl;
	if (plan.userId) body.user_id = plan.userId;
	return body;
}

function submitOutput(plan: SubmitPlan, taskId: string): IDataObject {
	return { taskId, model: plan.modelId, generationMode: generationMode(plan), request: requestBody(plan) };
}

async function submitTask(ctx: IExecuteFunctions, plan: SubmitPlan, itemIndex: number): Promise<string> {
	const data = (await apiRequest(ctx, {
		method: 'POST',
		path: '/api/v1/task/submit',
		body: requestBody(plan),
		retry: 'submit',
		itemIndex,
		operation: 'submit',
	})) as { taskId?: unknown } | undefined;
	if (typeof data?.taskId !== 'string' || data.taskId === '') {
		throw new NodeApiError(ctx.getNode(), { data: JSON.stringify(data ?? null) }, {
			message: 'MaxAPI accepted the request but returned no task ID',
			description: 'Look for the task in the MaxAPI dashboard before submitting again.',
			itemIndex,
		});
	}
	return data.taskId;
}

/** A run that stops half-way must not lose the IDs of tasks already paid for. */
function withSubmittedTasks<T extends NodeApiError | NodeOperationError>(
	error: T,
	submitted: Array<{ itemIndex: number; taskId: string }>,
): T {
	if (submitted.length > 0) {
		const list = submitted.map(({ itemIndex, taskId }) => `item ${itemIndex}: ${taskId}`).join(', ');
		error.description = `${error.description ?? ''}\nTasks already submitted in this run keep running at MaxAPI: ${list}.`.trim();
	}
	return error;
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
		userId: options.userId || undefined,
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

function inputError(ctx: IExecuteFunctions, problems: InputProblem[], itemIndex: number) {
	const [first, ...others] = problems;
	const more = others.map((problem) => `${problem.field}: ${problem.message}. ${problem.fix}`);
	return new NodeOperationError(ctx.getNode(), `${first.field}: ${first.message}`, {
		itemIndex,
		description: [`${first.fix} Nothing was sent to MaxAPI.`, ...more].join('\n'),
	});
}
