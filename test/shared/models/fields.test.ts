/** The Submit fields made from the catalogue (fields.ts): what a user of each model gets to see on the panel. */
import type { INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { MaxApi } from '../../../nodes/MaxApi/MaxApi.node';
import { ALL_MODELS, FAMILIES } from '../../../nodes/shared/models/catalogue';

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

	test('the media field is named after what the family takes', () => {
		const label = (familyId: string, modelId: string) =>
			panelFor(familyId, modelId).find((property) => property.name === 'mediaUrls')?.displayName;
		expect(label('seedance', 'seedance-2.0')).toBe('Media URLs');
		expect(label('veo', 'veo3')).toBe('Image URLs');
	});

	test('Model Family lists every family in catalogue order, Seedance first and by default', () => {
		const [familyField] = visible({ resource: 'task', operation: 'submit' }).filter(
			(property) => property.name === 'family',
		);
		expect(familyField.options).toEqual(
			FAMILIES.map((family) => ({ name: family.name, value: family.id })),
		);
		expect(familyField.default).toBe('seedance');
	});

	test("each family's Model field starts on the family's first model", () => {
		for (const family of FAMILIES) {
			const [modelField] = panelFor(family.id, family.models[0].id).filter(
				(property) => property.name === 'model',
			);
			expect(modelField.default).toBe(family.models[0].id);
		}
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
