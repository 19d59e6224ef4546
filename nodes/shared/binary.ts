/**
 * Result files into n8n binary data: `data`, `data_1`, … in the order of the result URLs. Each file is
 * streamed into n8n's binary store, so a large video never sits in memory whole.
 */
import type {
	IBinaryData,
	IBinaryKeyData,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { budgetOf } from './budget';

const DOWNLOAD_TIMEOUT_MS = 30 * 60_000;

export function binaryPropertyName(index: number): string {
	return index === 0 ? 'data' : `data_${index}`;
}

function fileNameOf(url: string, taskId: string, index: number): string {
	try {
		const name = new URL(url).pathname.split('/').pop();
		if (name && name.includes('.')) return `${taskId}-${name}`;
	} catch {
		// Fall through to a name from the task.
	}
	return `${taskId}-${index}`;
}

/**
 * Downloads with n8n's plain HTTP helper, never the authenticated one: result URLs are on CDNs, and the
 * API key must not travel to them.
 */
export async function downloadResultFiles(
	ctx: IExecuteFunctions | IWebhookFunctions,
	taskId: string,
	urls: string[],
	itemIndex: number,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	for (const [index, url] of urls.entries()) {
		binary[binaryPropertyName(index)] = await budgetOf(ctx).run(
			'download',
			async () => await downloadOne(ctx, taskId, url, index, itemIndex),
		);
	}
	return binary;
}

/** One file, streamed from the CDN into n8n's binary store. */
async function downloadOne(
	ctx: IExecuteFunctions | IWebhookFunctions,
	taskId: string,
	url: string,
	index: number,
	itemIndex: number,
): Promise<IBinaryData> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Could not download result file ${index + 1} of task ${taskId}`,
			{
				itemIndex,
				description: `${url}: ${(error as Error).message}. Result URLs stay valid for 7 days; read the task with Get and download it later.`,
			},
		);
	}
	const contentType = String(response.headers?.['content-type'] ?? '').split(';')[0] || undefined;
	return await ctx.helpers.prepareBinaryData(
		response.body as Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
		fileNameOf(url, taskId, index),
		contentType,
	);
}
