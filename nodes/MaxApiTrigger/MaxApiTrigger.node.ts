import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { MAXAPI_CREDENTIALS, MAXAPI_ICON } from '../shared/iconAndCredential';
import { callbackWebhook, nothingToRegister } from '../shared/webhook';

import { onTriggerCallback } from './triggerWebhook';
import { triggerProperties } from './MaxApiTrigger.description';

export class MaxApiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MaxApi Trigger',
		name: 'maxApiTrigger',
		icon: MAXAPI_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '=Task callbacks',
		description: 'Starts the workflow when a MaxAPI task ends and MaxAPI calls back',
		defaults: { name: 'MaxApi Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: MAXAPI_CREDENTIALS,
		webhooks: [callbackWebhook('callback')],
		properties: triggerProperties,
	};

	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await onTriggerCallback(this);
	}
}
