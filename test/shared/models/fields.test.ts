/** The Submit panel is generated from the catalogue: check what a user of each model gets to see. */
import type { INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MaxApi } from '../../../nodes/MaxApi/MaxApi.node';
import { ALL_MODELS, FAMILIES } from '../../../nodes/shared/models/catalogue';
import { fieldsTakenBy } from '../../../nodes/shared/models/fields';

const { properties } = new MaxApi().description;

function visible(parameters: INodeParameters): INodeProperties[] {
	return properties.filter((property) =>
		NodeHelpers.displayParameter(parameters, property, null, null),
	);
}

function panelFor(familyId: string, modelId: string): INodeProperties[] {
	return visible({ resource: 'task', operation: 'submit', family: familyId, model: modelId });
}

const familyOf = (modelId: string) =>
	FAMILIES.find((family) => family.models.some((model) => model.id === modelId))!;

describe('Submit panel', () => {
	test('every model of the catalogue can be picked under its family', () => {
		for (const family of FAMILIES) {
			const [modelField] = panelFor(family.id, family.models[0].id).filter(
				(p) => p.name === 'model',
			);
			expect(modelField.options?.map((option) => (option as { value: string }).value)).toEqual(
				family.models.map((model) => model.id),
			);
		}
		// Every model id of the API reference (docs.maxapi.io/api-reference), written out independently.
		const documented = [
			'seedance-2.0',
			'seedance-2.0-fast',
			'seedance-1.5-pro',
			'seedance-2.0-pro',
			'jimeng-video-3.5-pro',
			'jimeng-video-3.0-pro',
			'jimeng-video-3.0',
			'jimeng-video-2.0-pro',
			'jimeng-video-2.0',
			'jimeng-5.0-preview',
			'jimeng-4.6',
			'jimeng-4.5',
			'jimeng-4.1',
			'jimeng-4.0',
			'jimeng-3.1',
			'jimeng-3.0',
			'jimeng-2.1',
			'jimeng-2.0-pro',
			'jimeng-2.0',
			'jimeng-1.4',
			'jimeng-xl-pro',
			'seedream-5-lite',
			'seedream-4.5',
			'seedream-4',
			'seedream-4.6',
			'nano-banana',
			'nano-banana-2',
			'nano-banana-pro',
			'veo3',
			'veo3_fast',
			'veo3_lite',
			'grok-imagine/text-to-image-lite',
			'grok-imagine/text-to-image-standard',
			'grok-imagine/text-to-image-pro',
			'grok-imagine/text-to-video',
			'grok-imagine/image-to-image',
			'gpt-image-2/text-to-image',
			'gpt-image-2/image-to-image',
		];
		expect(ALL_MODELS.map((model) => model.id).sort()).toEqual([...documented].sort());
	});

	test.each(ALL_MODELS.map((model) => [model.id, model] as const))(
		'%s shows each of its fields once, with its allowed values',
		(_id, model) => {
			const panel = panelFor(familyOf(model.id).id, model.id);
			const names = panel.map((property) => property.name);
			expect(new Set(names).size).toBe(names.length);

			const optionValues = (name: string) =>
				panel
					.find((property) => property.name === name)
					?.options?.map((option) => (option as { value: unknown }).value)
					.slice(1);
			if (model.ratios && !model.freeFields?.includes('ratio'))
				expect(optionValues('ratio')).toEqual(model.ratios);
			if (model.resolutions) expect(optionValues('resolution')).toEqual(model.resolutions);
			if (model.durations) expect(optionValues('duration')).toEqual(model.durations);
			if (model.modes) expect(optionValues('mode')).toEqual(model.modes);
			if (!model.ratios && !model.freeFields?.includes('ratio'))
				expect(names).not.toContain('ratio');
			if (!model.resolutions && !model.freeFields?.includes('resolution'))
				expect(names).not.toContain('resolution');
			if (!model.durations && !model.freeFields?.includes('duration'))
				expect(names).not.toContain('duration');
			if (!model.modes) expect(names).not.toContain('mode');
			expect(names.includes('n')).toBe(model.n !== undefined);
			expect(names.includes('fallback')).toBe(model.fallback === true);
			expect(names.includes('mediaUrls')).toBe(model.maxMedia !== 0);
			if (model.n) {
				const n = panel.find((property) => property.name === 'n')!;
				expect(n.typeOptions).toEqual({ minValue: model.n.min, maxValue: model.n.max });
			}
		},
	);

	// What Submit sends for a model (fieldsTakenBy) must be what its panel lets the user set.
	test.each(ALL_MODELS.map((model) => [model.id, model] as const))(
		'%s takes the option fields its panel shows',
		(_id, model) => {
			const shown = panelFor(familyOf(model.id).id, model.id).map((property) => property.name);
			const optionFields = ['ratio', 'resolution', 'duration', 'mode', 'n', 'fallback'];
			expect(fieldsTakenBy(model)).toEqual(optionFields.filter((name) => shown.includes(name)));
		},
	);

	test('a model ID the catalogue lacks takes no option fields', () => {
		expect(fieldsTakenBy(undefined)).toEqual([]);
	});

	test('the media field is named after what the family takes', () => {
		const label = (familyId: string, modelId: string) =>
			panelFor(familyId, modelId).find((property) => property.name === 'mediaUrls')?.displayName;
		expect(label('seedance', 'seedance-2.0')).toBe('Media URLs');
		expect(label('veo', 'veo3')).toBe('Image URLs');
	});

	test('Get and Cancel ask only for the task ID', () => {
		for (const operation of ['get', 'cancel']) {
			expect(visible({ resource: 'task', operation }).map((property) => property.name)).toEqual([
				'resource',
				'operation',
				'taskId',
			]);
		}
	});
});
