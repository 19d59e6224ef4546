/**
 * How MaxAPI's callbacks are received and answered, by both nodes: the MaxApi node, which resumes on
 * them, and the Trigger.
 */
import type {
	IDataObject,
	IHookFunctions,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

/** The query parameter of a callback URL that carries Submit's Reference to the Trigger. */
export const REFERENCE_PARAMETER = 'reference';

/**
 * The webhook MaxAPI posts its callbacks to. `responseData: ''`: without it n8n answers a started run
 * with the text "firstEntryJson", not our webhookResponse.
 */
export function callbackWebhook(
	path: string,
	more: Partial<IWebhookDescription> = {},
): IWebhookDescription {
	return {
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path,
		...more,
	};
}

/** Answers the callback now, with this status and JSON body; n8n then sends no answer of its own. */
export function reply(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** MaxAPI takes the callback URL with each task, so there is nothing to register or remove there. */
export const nothingToRegister = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
