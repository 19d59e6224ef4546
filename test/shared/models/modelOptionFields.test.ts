/** A model's option fields and which it takes (modelOptionFields.ts): one field per value list, shown to its models. */
import type { INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MaxApi } from '../../../nodes/MaxApi/MaxApi.node';
import { ALL_MODELS, FAMILIES } from '../../../nodes/shared/models/catalogue';
import { fieldsTakenBy, modelOptionFields } from '../../../nodes/shared/models/modelOptionFields';
import type { ModelSpec } from '../../../nodes/shared/models/types';

const OPTION_FIELDS = ['ratio', 'resolution', 'duration', 'mode', 'n', 'fallback'];

const modelOf = (id: string): ModelSpec => ALL_MODELS.find((model) => model.id === id)!;

const shows = (parameters: INodeParameters) => (property: INodeProperties) =>
	NodeHelpers.displayParameter(parameters, property, null, null);

/** The option fields shown for a model, from this module alone. */
const optionFieldsFor = (modelId: string) => modelOptionFields.filter(shows({ model: modelId }));

const fieldFor = (modelId: string, name: string) =>
	optionFieldsFor(modelId).find((property) => property.name === name);

const optionsOf = (property: INodeProperties | undefined) =>
	(property?.options ?? []) as INodePropertyOptions[];

const { properties } = new MaxApi().description;

function panelFor(modelId: string): INodeProperties[] {
	const family = FAMILIES.find((of) => of.models.some((model) => model.id === modelId))!;
	return properties.filter(
		shows({ resource: 'task', operation: 'submit', family: family.id, model: modelId }),
	);
}

describe('fieldsTakenBy', () => {
	// What Submit sends for a model (fieldsTakenBy) must be what its panel lets the user set.
	test.each(ALL_MODELS.map((model) => [model.id, model] as const))(
		'%s takes the option fields its panel shows',
		(_id, model) => {
			const shown = panelFor(model.id).map((property) => property.name);
			expect(fieldsTakenBy(model)).toEqual(OPTION_FIELDS.filter((name) => shown.includes(name)));
		},
	);

	test('a model ID the catalogue lacks takes no option fields', () => {
		expect(fieldsTakenBy(undefined)).toEqual([]);
	});

	test.each([
		['seedance-2.0', ['ratio', 'resolution', 'duration', 'fallback']],
		['seedance-1.5-pro', ['ratio', 'resolution', 'duration']],
		['veo3', ['ratio', 'resolution', 'duration', 'mode']],
		['veo3_lite', ['ratio', 'duration', 'mode']],
		['nano-banana', ['ratio']],
		['gpt-image-2/image-to-image', ['ratio', 'resolution', 'n']],
		['grok-imagine/text-to-image-lite', ['n']],
		['grok-imagine/image-to-image', []],
		['grok-imagine/text-to-video', ['ratio', 'resolution', 'duration', 'mode']],
		['jimeng-video-3.0', ['ratio', 'duration']],
		['jimeng-4.6', ['ratio', 'resolution']],
	])('%s takes %j, in that order', (modelId, fields) => {
		expect(fieldsTakenBy(modelOf(modelId))).toEqual(fields);
	});

	test('a free-text field is taken though it has no listed values', () => {
		const bare: ModelSpec = { id: 'bare', name: 'Bare', output: 'video' };
		expect(fieldsTakenBy(bare)).toEqual([]);
		expect(fieldsTakenBy({ ...bare, freeFields: ['duration'] })).toEqual(['duration']);
		expect(fieldsTakenBy({ ...bare, freeFields: ['ratio', 'resolution'] })).toEqual([
			'ratio',
			'resolution',
		]);
	});

	test('fallback is taken only when it is true', () => {
		const bare: ModelSpec = { id: 'bare', name: 'Bare', output: 'video' };
		expect(fieldsTakenBy({ ...bare, fallback: true })).toEqual(['fallback']);
		expect(fieldsTakenBy({ ...bare, fallback: false })).toEqual([]);
	});

	test('an empty value list still means the field is taken', () => {
		const bare: ModelSpec = { id: 'bare', name: 'Bare', output: 'image' };
		expect(fieldsTakenBy({ ...bare, ratios: [], modes: [] })).toEqual(['ratio', 'mode']);
	});
});

describe('modelOptionFields', () => {
	test('every field is shown to at least one model, and each model sees a field name once', () => {
		for (const property of modelOptionFields) {
			expect(property.displayOptions?.show?.model?.length).toBeGreaterThan(0);
		}
		for (const model of ALL_MODELS) {
			const names = optionFieldsFor(model.id).map((property) => property.name);
			expect(new Set(names).size).toBe(names.length);
		}
	});

	test('each distinct list of values gets one field, shared by the models with that list', () => {
		for (const name of ['ratio', 'resolution', 'duration', 'mode']) {
			const lists = modelOptionFields
				.filter((property) => property.name === name && property.type === 'options')
				.map((property) => JSON.stringify(optionsOf(property).slice(1)));
			expect(new Set(lists).size).toBe(lists.length);
		}
		// Veo and Nano Banana both take exactly 16:9 and 9:16: one Ratio field, across families.
		expect(fieldFor('veo3', 'ratio')).toBe(fieldFor('nano-banana', 'ratio'));
		expect(fieldFor('veo3', 'ratio')?.displayOptions?.show?.model).toEqual([
			'veo3',
			'veo3_fast',
			'veo3_lite',
			'nano-banana',
		]);
		expect(fieldFor('veo3', 'ratio')).not.toBe(fieldFor('seedance-2.0', 'ratio'));
	});

	test.each(ALL_MODELS.map((model) => [model.id, model] as const))(
		'%s is offered exactly its allowed values, after the "not set" choice',
		(_id, model) => {
			const keys = [
				['ratio', 'ratios'],
				['resolution', 'resolutions'],
				['duration', 'durations'],
				['mode', 'modes'],
			] as const;
			for (const [name, key] of keys) {
				const field = fieldFor(model.id, name);
				const free: readonly string[] = model.freeFields ?? [];
				if (free.includes(name)) expect(field?.type).not.toBe('options');
				else if (model[key] === undefined) expect(field).toBeUndefined();
				else
					expect(
						optionsOf(field)
							.slice(1)
							.map((option) => option.value),
					).toEqual(model[key]);
			}
		},
	);

	test('the first choice sends nothing: Automatic for the mode, Model Default for the rest', () => {
		const first = (modelId: string, name: string) => {
			const field = fieldFor(modelId, name)!;
			return { first: optionsOf(field)[0], default: field.default };
		};
		expect(first('veo3', 'mode')).toEqual({
			first: { name: 'Automatic', value: '' },
			default: '',
		});
		expect(first('veo3', 'ratio')).toEqual({
			first: { name: 'Model Default', value: '' },
			default: '',
		});
		expect(first('veo3', 'resolution')).toEqual({
			first: { name: 'Model Default', value: '' },
			default: '',
		});
		// A numeric field's "not set" is 0, not text.
		expect(first('veo3', 'duration')).toEqual({
			first: { name: 'Model Default', value: 0 },
			default: 0,
		});
	});

	test('durations read in seconds and modes by their names', () => {
		expect(optionsOf(fieldFor('seedance-1.5-pro', 'duration')).slice(1)).toEqual([
			{ name: '5 s', value: 5 },
			{ name: '10 s', value: 10 },
		]);
		expect(optionsOf(fieldFor('veo3', 'mode')).map((option) => option.name)).toEqual([
			'Automatic',
			'First Frame (I2v)',
			'First and Last Frame (I2v-Fl)',
			'Reference Images (R2v)',
		]);
		expect(
			optionsOf(fieldFor('grok-imagine/text-to-video', 'mode')).map((option) => option.name),
		).toEqual(['Automatic', 'Fun', 'Normal', 'Spicy', 'Custom']);
		expect(optionsOf(fieldFor('veo3', 'ratio')).slice(1)).toEqual([
			{ name: '16:9', value: '16:9' },
			{ name: '9:16', value: '9:16' },
		]);
	});

	test('legacy models get free-text fields where their values are not documented', () => {
		const ratio = fieldFor('jimeng-video-3.0', 'ratio')!;
		expect(ratio).toMatchObject({ type: 'string', default: '' });
		expect(fieldFor('jimeng-video-3.0', 'duration')).toMatchObject({ type: 'number', default: 0 });
		expect(fieldFor('jimeng-video-3.0', 'resolution')).toBeUndefined();
		expect(fieldFor('jimeng-4.6', 'resolution')).toMatchObject({ type: 'string', default: '' });
		expect(fieldFor('jimeng-4.6', 'duration')).toBeUndefined();
		const legacyIds = FAMILIES.filter((family) => family.id.startsWith('jimeng')).flatMap(
			(family) => family.models.map((model) => model.id),
		);
		expect([...ratio.displayOptions!.show!.model!].sort()).toEqual([...legacyIds].sort());
	});

	test.each([
		['gpt-image-2/text-to-image', 1, 10],
		['grok-imagine/text-to-image-lite', 1, 4],
		['seedream-5-lite', 1, 4],
		['seedream-4', 1, 15],
	])('Number of Images for %s runs from %i to %i', (modelId, min, max) => {
		const n = fieldFor(modelId, 'n')!;
		expect(n).toMatchObject({ type: 'number', default: 1 });
		expect(n.typeOptions).toEqual({ minValue: min, maxValue: max });
		expect(n.description).toContain(`(${min}–${max})`);
	});

	test('models with the same range share one Number of Images field', () => {
		const ranges = modelOptionFields
			.filter((property) => property.name === 'n')
			.map((property) => JSON.stringify(property.typeOptions));
		expect(new Set(ranges).size).toBe(ranges.length);
		expect(fieldFor('seedream-5-lite', 'n')).toBe(fieldFor('grok-imagine/text-to-image-lite', 'n'));
	});

	test('the fallback switch is shown to the models that take it, and only to them', () => {
		const fallback = modelOptionFields.filter((property) => property.name === 'fallback');
		expect(fallback).toHaveLength(1);
		expect(fallback[0]).toMatchObject({ type: 'boolean', default: false });
		expect(fallback[0].displayOptions?.show?.model).toEqual(['seedance-2.0', 'seedance-2.0-fast']);
	});
});
