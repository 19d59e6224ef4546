import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/transport';
import { nothingToRegister } from '../shared/webhook';

import { onTriggerCallback } from './triggerWebhook';
import { triggerProperties } from './MaxApiTrigger.description';

export class MaxApiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MaxApi Trigger',
		name: 'maxApiTrigger',
		icon: { light: 'file:maxapi.svg', dark: 'file:maxapi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '=Task callbacks',
		description: 'Starts the workflow when a MaxAPI task ends and MaxAPI calls back',
		defaults: { name: 'MaxApi Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Without this n8n answers a started callback with the text "firstEntryJson", not webhookResponse.
				responseData: '',
				path: 'callback',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await onTriggerCallback(this);
	}
}
