/**
 * One MaxAPI callback arriving at the Trigger: checked (callbackRequest.ts), the task read from the API,
 * decided on (triggerDecision.ts) in turn with the other copies of this task's callback, recorded
 * (startedOutcomes.ts) and answered. Every refusal is answered 4xx (or 503 when the API could not be
 * asked) and starts nothing; a callback that is fine but not wanted gets 200.
 */
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readTask } from '../shared/api';
import { downloadResultFiles } from '../shared/binary';
import { asNodeError } from '../shared/errors';
import type { MaxApiTask } from '../shared/task';
import { Turns } from '../shared/turns';
import { reply, REFERENCE_PARAMETER } from '../shared/webhook';
import { checkRequest } from './callbackRequest';
import { StartedOutcomes } from './startedOutcomes';
import { decide, outcomeOf, type ApiAnswer, type TriggerDecision } from './triggerDecision';

// Copies of one task's callback take turns: each decides after the one before has recorded its start.
const turns = new Turns();

async function askApi(ctx: IWebhookFunctions, taskId: string): Promise<ApiAnswer> {
	try {
		return { task: await readTask(ctx, taskId, 0) };
	} catch (error) {
		const nodeError = asNodeError(ctx.getNode(), error);
		if (nodeError instanceof NodeApiError && nodeError.httpCode === '404') return { unknown: true };
		return { unreachable: nodeError.message };
	}
}

export async function onTriggerCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = checkRequest(
		ctx.getQueryData() as IDataObject,
		ctx.getBodyData(),
		String(ctx.getNodeParameter('secret', '')),
	);
	if ('refuse' in request)
		return reply(ctx, request.refuse, { received: false, error: request.error });
	const claimed: MaxApiTask = request.claimed;
	const taskId = String(claimed.taskId);

	const nodeKey = `${ctx.getMode()}:${ctx.getWorkflow().id}:${ctx.getNode().id}`;
	const decision = await turns.inTurn(
		`${nodeKey}:${taskId}`,
		async (): Promise<TriggerDecision> => {
			const started = new StartedOutcomes(ctx, nodeKey);
			// A copy of a started outcome is answered without asking the API again.
			if (started.has(outcomeOf(taskId, claimed.status))) return { ignore: 'duplicate' };
			const confirm = ctx.getNodeParameter('confirmWithApi', true) !== false;
			const answer = confirm ? await askApi(ctx, taskId) : { task: claimed };
			const filters = {
				outcomes: ctx.getNodeParameter('outcomes', []) as string[],
				models: ctx.getNodeParameter('models', []) as string[],
			};
			const decided = decide(taskId, answer, filters, (outcome) => started.has(outcome));
			if ('start' in decided) started.record(outcomeOf(taskId, decided.start.status));
			return decided;
		},
	);
	if ('refuse' in decision)
		return reply(ctx, decision.refuse, { received: false, error: decision.error });
	if ('ignore' in decision) {
		return reply(ctx, 200, { received: true, started: false, reason: decision.ignore });
	}

	const output = decision.start;
	// Caller data that came with the callback URL (Submit's Reference); the API vouched for the task only.
	const reference = (ctx.getQueryData() as IDataObject)[REFERENCE_PARAMETER];
	if (typeof reference === 'string' && reference !== '') output.reference = reference;
	const item: INodeExecutionData = { json: output };
	const download = ctx.getNodeParameter('downloadResults', false) === true;
	if (!(download && output.successful && output.resultUrls.length > 0)) {
		// n8n answers once the execution is created and static data saved, so a copy sent after this
		// answer, to any n8n process, finds the outcome in static data.
		return { webhookResponse: { received: true, started: true }, workflowData: [[item]] };
	}
	// MaxAPI has its answer before any file is downloaded.
	reply(ctx, 200, { received: true, started: true });
	try {
		item.binary = await downloadResultFiles(ctx, output.taskId, output.resultUrls, 0);
	} catch (error) {
		output.downloadError = asNodeError(ctx.getNode(), error).message;
	}
	return { noWebhookResponse: true, workflowData: [[item]] };
}
