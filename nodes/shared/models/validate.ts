/**
 * Checks a submit before any credit is spent. Pure: it sees the request as it will be sent and returns
 * the problems it finds, each naming the field as the user sees it and how to fix it.
 */
import { isHttpUrl, isLocalHost } from '../urls';
import type { ModelSpec } from './catalogue';
import { IMAGE_EXTENSIONS, mediaFieldLabel, mediaKindOf, type MediaPlan } from './media';

/** A submit as it will be sent. `model` is undefined for a model ID the catalogue lacks (by expression). */
export interface SubmitPlan extends MediaPlan {
	callBackUrl?: string;
	userId?: string;
}

export interface CheckOptions {
	/** Media count, @N references and field values against the model's documented limits. */
	checkModelLimits: boolean;
	/** MaxAPI cannot reach localhost; a local emulator can, so local URLs are fine when the API is local. */
	apiIsLocal: boolean;
}

export interface InputProblem {
	field: string;
	message: string;
	fix: string;
}

// @1, @image2, @图3: the reference syntaxes MaxAPI documents; digits must not run on into a word.
const REFERENCE_PATTERN = /@(?:image|图)?(\d+)(?![0-9A-Za-z_])/gi;

export function findInputProblems(plan: SubmitPlan, options: CheckOptions): InputProblem[] {
	const problems: InputProblem[] = [];
	problems.push(...checkPrompt(plan));
	problems.push(...checkUrls(plan, options));
	if (options.checkModelLimits && plan.model) {
		problems.push(...checkReferences(plan));
		problems.push(...checkMediaLimits(plan, plan.model));
		problems.push(...checkFieldValues(plan, plan.model));
	}
	return problems;
}

function checkPrompt(plan: SubmitPlan): InputProblem[] {
	const prompt = plan.input.prompt;
	if (typeof prompt === 'string' && prompt.trim() !== '') return [];
	return [
		{
			field: 'Prompt',
			message: 'The prompt is empty',
			fix: 'Describe what to generate. If it comes from an expression, check that the expression gives text for this item.',
		},
	];
}

function checkUrl(value: string, field: string, options: CheckOptions, what: string): InputProblem[] {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return [{ field, message: `${what} "${value}" is not a URL`, fix: 'Use a full http:// or https:// address.' }];
	}
	if (!isHttpUrl(url)) {
		return [
			{
				field,
				message: `${what} "${value}" is not an http(s) URL`,
				fix: 'Use a public http:// or https:// address; MaxAPI fetches it over the internet.',
			},
		];
	}
	if (!options.apiIsLocal && isLocalHost(url.hostname)) {
		return [
			{
				field,
				message: `${what} "${value}" points to this machine (${url.hostname}), which MaxAPI cannot reach`,
				fix:
					field === 'Callback URL'
						? 'MaxAPI refuses localhost callback URLs. Use a public URL; if n8n runs locally, expose it through a tunnel and set n8n\'s WEBHOOK_URL to the public address.'
						: 'Upload the file somewhere public (e.g. a storage bucket) and use that URL.',
			},
		];
	}
	return [];
}

function checkUrls(plan: SubmitPlan, options: CheckOptions): InputProblem[] {
	const field = mediaFieldLabel(plan.family);
	const problems = plan.media.flatMap((url, index) =>
		checkUrl(url, field, options, `Item ${index + 1}`),
	);
	if (plan.callBackUrl) problems.push(...checkUrl(plan.callBackUrl, 'Callback URL', options, 'The callback URL'));
	return problems;
}

function checkReferences(plan: SubmitPlan): InputProblem[] {
	const prompt = typeof plan.input.prompt === 'string' ? plan.input.prompt : '';
	const count = plan.media.length;
	const pastTheList = [...prompt.matchAll(REFERENCE_PATTERN)].filter((match) => {
		const position = Number(match[1]);
		return position < 1 || position > count;
	});
	if (pastTheList.length === 0) return [];
	const references = [...new Set(pastTheList.map((match) => match[0]))].join(', ');
	return [
		{
			field: 'Prompt',
			message: `The prompt refers to ${references}, but ${mediaFieldLabel(plan.family)} has ${count} item${count === 1 ? '' : 's'}`,
			fix: `@N means the N-th URL in ${mediaFieldLabel(plan.family)} (counting from 1). Add the missing media or correct the reference.`,
		},
	];
}

function checkMediaLimits(plan: SubmitPlan, model: ModelSpec): InputProblem[] {
	const field = mediaFieldLabel(plan.family);
	const count = plan.media.length;
	const problems: InputProblem[] = [];
	if (model.maxMedia === 0 && count > 0) {
		problems.push({
			field,
			message: `${model.id} takes no reference media, but ${count} ${count === 1 ? 'was' : 'were'} given`,
			fix: 'Remove the media, or choose an image-to-image or image-to-video model.',
		});
		return problems;
	}
	if (model.maxMedia !== undefined && count > model.maxMedia) {
		problems.push({
			field,
			message: `${model.id} takes at most ${model.maxMedia} reference media, but ${count} were given`,
			fix: `Keep ${model.maxMedia} or fewer URLs, or choose a model that takes more.`,
		});
	}
	if (model.minMedia !== undefined && count < model.minMedia) {
		problems.push({
			field,
			message: `${model.id} needs at least ${model.minMedia} reference image${model.minMedia === 1 ? '' : 's'}`,
			fix: 'Add an image URL, or choose the text-to-image model.',
		});
	}
	const kinds = plan.media.map((url) => mediaKindOf(url) ?? 'image');
	const images = kinds.filter((kind) => kind === 'image').length;
	if (model.maxImages !== undefined && images > model.maxImages) {
		problems.push({
			field,
			message: `${model.id} takes at most ${model.maxImages} images, but ${images} were given`,
			fix: `Keep ${model.maxImages} or fewer images.`,
		});
	}
	const allowed = model.mediaKinds ?? ['image'];
	const refused = plan.media.filter((_, index) => !allowed.includes(kinds[index]));
	const withVideo = plan.family.models.filter((other) => other.mediaKinds?.includes('video')).map((other) => other.id);
	if (refused.length > 0) {
		problems.push({
			field,
			message: `${model.id} takes ${allowed.join(', ')} only, but got ${refused.join(', ')}`,
			fix: withVideo.length > 0 ? `Video and audio references need ${withVideo.join(' or ')}.` : `Use image URLs (${IMAGE_EXTENSIONS.join(', ')}).`,
		});
	}
	const rule = typeof plan.input.mode === 'string' ? model.mediaPerMode?.[plan.input.mode] : undefined;
	if (rule) {
		if (count < rule.min || count > rule.max) {
			problems.push({
				field: 'Mode',
				message: `Mode ${plan.input.mode} (${rule.label}) does not fit ${count} image${count === 1 ? '' : 's'}`,
				fix: 'Change the mode or the number of image URLs, or leave the mode on Automatic.',
			});
		}
	}
	return problems;
}

function listOf(values: Array<string | number>): string {
	return values.join(', ');
}

function checkChoice(
	value: unknown,
	allowed: Array<string | number> | undefined,
	field: string,
	model: ModelSpec,
	isFree: boolean,
): InputProblem[] {
	if (value === undefined || value === null || value === '' || isFree) return [];
	if (!allowed) {
		return [
			{
				field,
				message: `${model.id} takes no ${field.toLowerCase()} (got ${JSON.stringify(value)})`,
				fix: `Remove ${field.toLowerCase()} from the input.`,
			},
		];
	}
	if (allowed.some((option) => String(option) === String(value))) return [];
	return [
		{
			field,
			message: `${model.id} does not support ${field.toLowerCase()} ${JSON.stringify(value)}`,
			fix: `Use one of: ${listOf(allowed)}.`,
		},
	];
}

function checkFieldValues(plan: SubmitPlan, model: ModelSpec): InputProblem[] {
	const { input } = plan;
	const free = model.freeFields ?? [];
	const problems = [
		...checkChoice(input.ratio, model.ratios, 'Ratio', model, free.includes('ratio')),
		...checkChoice(input.resolution, model.resolutions, 'Resolution', model, free.includes('resolution')),
		...checkChoice(input.duration, model.durations, 'Duration', model, free.includes('duration')),
		...checkChoice(input.mode, model.modes, 'Mode', model, false),
	];
	if (model.ratiosAt4k && input.resolution === '4k' && input.ratio && !model.ratiosAt4k.includes(String(input.ratio))) {
		problems.push({
			field: 'Ratio',
			message: `${model.id} at 4k supports only the ratios ${listOf(model.ratiosAt4k)}, not ${String(input.ratio)}`,
			fix: 'Choose one of those ratios, or a lower resolution.',
		});
	}
	if (input.n !== undefined && input.n !== null && input.n !== '') {
		const n = Number(input.n);
		if (!model.n) {
			problems.push({
				field: 'Number of Images',
				message: `${model.id} takes no n (number of images)`,
				fix: 'Remove n from the input.',
			});
		} else if (!Number.isInteger(n) || n < model.n.min || n > model.n.max) {
			problems.push({
				field: 'Number of Images',
				message: `${model.id} makes ${model.n.min}–${model.n.max} images per task, not ${String(input.n)}`,
				fix: `Use a whole number from ${model.n.min} to ${model.n.max}; the price grows with it.`,
			});
		}
	}
	return problems;
}
