/**
 * Submit: checks every item before the first task is paid for, submits one task per item (never twice),
 * then waits for them as the user chose (wait/): outputs the tasks' IDs, polls, or parks the execution.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { submitBody, type TaskRequest } from '../../../shared/api';
import { asNodeError } from '../../../shared/errors';
import {
	familyField,
	mediaFields,
	modelFields,
	modelOptionFields,
} from '../../../shared/models/fields';
import { generationMode } from '../../../shared/models/media';
import type { SubmitPlan } from '../../../shared/models/validate';
import { MAX_API_IN_FLIGHT } from '../../../shared/budget';
import { credentialsOf } from '../../../shared/transport';
import { isLocalUrl } from '../../../shared/urls';
import { isTaskState, type ItemState } from '../../wait/itemState';
import { finishItems } from '../../wait/outcome';
import { pollUntilFinished, pollWithDownloads } from '../../wait/poll';
import { parkUntilCallbacks } from '../../wait/park';
import { checkParkable, resumeUrlFor } from '../../wait/parkable';
import { readWaitSettings, waitFields } from '../../wait/settings';
import { checkedPlan } from './submitInput';
import { optionsField, referenceIfAny } from './submitOptions';
import { submitTasks } from './submitTasks';

const properties: INodeProperties[] = [
	familyField,
	...modelFields,
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'A red fox runs through fresh snow at dawn, cinematic',
		description:
			'What to generate. Refer to reference media by position: @1, @2 (also @image1 or @图1).',
	},
	...mediaFields,
	...modelOptionFields,
	...waitFields,
	optionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['submit'] } },
	properties,
);

/** Takes every item at once (see the top of this file). */
export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const settings = readWaitSettings(this);
	const { baseUrl } = await credentialsOf(this);
	const apiIsLocal = isLocalUrl(baseUrl);
	if (settings.mode === 'callback') checkParkable(this, items.length);
	const resumeUrl = settings.mode === 'callback' ? resumeUrlFor(this, apiIsLocal) : undefined;

	const states: ItemState[] = [];
	const plans = new Map<number, SubmitPlan>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans.set(itemIndex, checkedPlan(this, itemIndex, apiIsLocal, resumeUrl));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			states[itemIndex] = {
				kind: 'failed',
				itemIndex,
				error: asNodeError(this.getNode(), error, itemIndex),
				reference: referenceIfAny(this, itemIndex),
			};
		}
	}

	const requests = new Map([...plans].map(([itemIndex, plan]) => [itemIndex, requestOf(plan)]));
	for (const result of await submitTasks(this, requests)) {
		const { itemIndex } = result;
		const { reference } = plans.get(itemIndex)!;
		if ('error' in result) {
			states[itemIndex] = { kind: 'failed', itemIndex, error: result.error, reference };
		} else if (settings.mode === 'none') {
			const json = submitOutput(plans.get(itemIndex)!, result.taskId);
			states[itemIndex] = {
				kind: 'settled',
				itemIndex,
				item: { json, pairedItem: { item: itemIndex } },
			};
		} else {
			states[itemIndex] = {
				kind: 'task',
				itemIndex,
				taskId: result.taskId,
				submittedAt: result.submittedAt,
				reference,
			};
		}
	}

	const onItemError = this.continueOnFail() ? 'item' : 'throw';
	const taskStates = states.filter(isTaskState);
	const timeLimitMs = settings.timeLimitMinutes * 60_000;
	if (settings.mode === 'poll') await pollWithDownloads(this, taskStates, settings);
	if (settings.mode === 'callback') {
		// n8n refuses (409) a callback that comes before the execution is saved as waiting, and MaxAPI may
		// not call again: a small batch is polled for Poll First, so that tasks that end in the first
		// seconds need no callback (reads come each time a task's age doubles: 1, 2, 4, 8 s). A bigger one
		// is parked as soon as it is submitted: polling it would cost many reads and refuse the callbacks
		// of every task that ends meanwhile, each of which costs n8n as much as one it takes.
		if (taskStates.length <= MAX_API_IN_FLIGHT) {
			await pollUntilFinished(this, taskStates, {
				deadline: Date.now() + Math.min(settings.pollFirstMs, timeLimitMs),
				maxIntervalMs: settings.maxPollIntervalMs,
				ageFraction: 1,
			});
		}
		return await parkUntilCallbacks(this, states, settings);
	}
	return await finishItems(this, states, settings, onItemError);
}

function requestOf(plan: SubmitPlan): TaskRequest {
	return {
		model: plan.modelId,
		input: plan.input as IDataObject,
		callBackUrl: plan.callBackUrl,
		userId: plan.userId,
	};
}

function submitOutput(plan: SubmitPlan, taskId: string): IDataObject {
	return {
		taskId,
		model: plan.modelId,
		generationMode: generationMode(plan),
		request: submitBody(requestOf(plan)),
		...(plan.reference !== undefined && { reference: plan.reference }),
	};
}
