/**
 * Checks a submit before any credit is spent. Pure: it sees the request as it will be sent and returns
 * the problems it finds, each naming the field as the user sees it and how to fix it.
 */
import { isHttpUrl, isLocalHost } from '../urls';
import { checkFieldValues, checkMediaLimits } from './limits';
import { mediaFieldLabel } from './media';
import type { InputProblem, SubmitPlan } from './types';

// Submit reads the plan and problem types from here, with the check that uses them.
export type { InputProblem, SubmitPlan } from './types';

export interface CheckOptions {
	/** Media count, @N references and field values against the model's documented limits. */
	checkModelLimits: boolean;
	/** MaxAPI cannot reach localhost; a local emulator can, so local URLs are fine when the API is local. */
	apiIsLocal: boolean;
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

function checkUrl(
	value: string,
	field: string,
	options: CheckOptions,
	what: string,
): InputProblem[] {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return [
			{
				field,
				message: `${what} "${value}" is not a URL`,
				fix: 'Use a full http:// or https:// address.',
			},
		];
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
						? "MaxAPI refuses localhost callback URLs. Use a public URL; if n8n runs locally, expose it through a tunnel and set n8n's WEBHOOK_URL to the public address."
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
	if (plan.callBackUrl)
		problems.push(...checkUrl(plan.callBackUrl, 'Callback URL', options, 'The callback URL'));
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
