import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import { perItemOperations, submit } from './task';

type OperationName = keyof typeof perItemOperations | 'submit';

/** Runs the chosen operation for every input item; with "Continue On Fail" a failed item becomes an error item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as OperationName;
	// Submit handles all items together: it checks them all before paying for any, then waits for all.
	if (operation === 'submit') return [await submit.execute.call(this)];
	const run = perItemOperations[operation]?.execute;
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	const items = this.getInputData();

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await run.call(this, itemIndex);
			output.push(...results.map((result) => ({ ...result, pairedItem: { item: itemIndex } })));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			const json: IDataObject = { error: error.message };
			if (error.description) json.description = error.description;
			output.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}
