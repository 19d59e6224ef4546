'use strict';
// The submit body check: returns one English sentence naming the first bad field, as MaxAPI answers with 400.
const { MODELS, MEDIA_FIELDS, MEDIA_KINDS, mediaKind, isLocalHost } = require('./models');

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringArray = (v) => Array.isArray(v) && v.every((item) => typeof item === 'string');

function checkCallbackUrl(value, rejectLocal) {
	const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : null;
	if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
		return 'callBackUrl must be an http(s) URL';
	if (rejectLocal && isLocalHost(url.hostname)) return 'callBackUrl must not point to localhost';
	return null;
}

// Limits are checked only for the fields that are present.
function checkModelLimits(model, spec, input) {
	for (const field of spec.media) {
		const urls = input[field];
		if (urls === undefined) continue;
		const [min, max] = spec.items ?? [0, Infinity];
		if (urls.length < min || urls.length > max) {
			const range = min > 0 ? `${min} to ${max} items` : `at most ${max} items`;
			return `input.${field} must contain ${range} for model ${model}`;
		}
		const kinds = urls.map(mediaKind);
		if (
			spec.maxImages !== undefined &&
			kinds.filter((k) => k === 'image').length > spec.maxImages
		) {
			return `input.${field} may contain at most ${spec.maxImages} images for model ${model}`;
		}
		if (spec.imagesOnly && kinds.some((k) => k === 'video' || k === 'audio')) {
			return `input.${field} accepts only images (${MEDIA_KINDS.image.join(', ')}) for model ${model}`;
		}
	}
	for (const [field, rule] of Object.entries(spec.limits)) {
		if (input[field] !== undefined && !rule.test(input[field])) {
			return `input.${field} must be ${rule.text} for model ${model}`;
		}
	}
	return null;
}

/** Returns an English error message for an invalid submit body, or null when it is valid. */
function validateSubmit(body, rejectLocalCallbacks) {
	if (!isObject(body)) return 'request body must be a JSON object';
	const { model, input, callBackUrl } = body;
	if (typeof model !== 'string' || model === '') return 'model is required and must be a string';
	const spec = MODELS[model];
	if (!spec) return `model "${model}" is not a known model id`;
	if (!isObject(input)) return 'input is required and must be an object';
	if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
		return 'input.prompt is required and must be a non-empty string';
	}
	if (callBackUrl !== undefined) {
		const problem = checkCallbackUrl(callBackUrl, rejectLocalCallbacks);
		if (problem) return problem;
	}
	const badField = MEDIA_FIELDS.find(
		(field) => input[field] !== undefined && !isStringArray(input[field]),
	);
	if (badField) return `input.${badField} must be an array of URL strings`;
	return checkModelLimits(model, spec, input);
}

module.exports = { validateSubmit, isObject };
