import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MAXAPI_CREDENTIALS, MAXAPI_ICON } from '../shared/iconAndCredential';
import { callbackWebhook, nothingToRegister } from '../shared/webhook';
import { router } from './actions/router';
import { taskDescription } from './actions/task';
import { onResumeCallback } from './wait/resumeWebhook';
import { readWaitSettings } from './wait/settings';

export class MaxApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MaxApi',
		name: 'maxApi',
		icon: MAXAPI_ICON,
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] + ($parameter["model"] ? ": " + $parameter["model"] : "")}}',
		description:
			'Generate videos and images with Seedance, Veo, Nano Banana, Seedream, Grok Imagine and GPT Image 2 through MaxAPI',
		defaults: { name: 'MaxApi' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: MAXAPI_CREDENTIALS,
		// Receives MaxAPI's callbacks while an execution waits ("Callback (Resume)"); n8n routes them here
		// through the execution's resume URL, so nothing is registered anywhere.
		webhooks: [callbackWebhook('', { restartWebhook: true })],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Task', value: 'task' }],
				default: 'task',
			},
			...taskDescription,
		],
	};

	webhookMethods = nothingToRegister;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await onResumeCallback(this, readWaitSettings(this));
	}
}
