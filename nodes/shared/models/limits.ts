/**
 * The checks against a model's documented limits (validate.ts runs them when Check Input Against Model
 * Limits is on): how many media and of which kinds, Veo's images per mode, and each field's values.
 */
import { IMAGE_EXTENSIONS, mediaFieldLabel, mediaKindOf } from './media';
import type { InputProblem, ModelSpec, SubmitPlan } from './types';

export function checkMediaLimits(plan: SubmitPlan, model: ModelSpec): InputProblem[] {
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
	const withVideo = plan.family.models
		.filter((other) => other.mediaKinds?.includes('video'))
		.map((other) => other.id);
	if (refused.length > 0) {
		problems.push({
			field,
			message: `${model.id} takes ${allowed.join(', ')} only, but got ${refused.join(', ')}`,
			fix:
				withVideo.length > 0
					? `Video and audio references need ${withVideo.join(' or ')}.`
					: `Use image URLs (${IMAGE_EXTENSIONS.join(', ')}).`,
		});
	}
	const rule =
		typeof plan.input.mode === 'string' ? model.mediaPerMode?.[plan.input.mode] : undefined;
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

export function checkFieldValues(plan: SubmitPlan, model: ModelSpec): InputProblem[] {
	const { input } = plan;
	const free = model.freeFields ?? [];
	const problems = [
		...checkChoice(input.ratio, model.ratios, 'Ratio', model, free.includes('ratio')),
		...checkChoice(
			input.resolution,
			model.resolutions,
			'Resolution',
			model,
			free.includes('resolution'),
		),
		...checkChoice(input.duration, model.durations, 'Duration', model, free.includes('duration')),
		...checkChoice(input.mode, model.modes, 'Mode', model, false),
	];
	if (
		model.ratiosAt4k &&
		input.resolution === '4k' &&
		input.ratio &&
		!model.ratiosAt4k.includes(String(input.ratio))
	) {
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
