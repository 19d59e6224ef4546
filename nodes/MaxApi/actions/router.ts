import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../shared/errors';
import { operations } from './task';

type Operation = (typeof operations)[keyof typeof operations];

/**
 * Runs the chosen operation. One that exports executeAll takes every item at once (Submit: it checks them
 * all before paying for any, then waits for all); the others run per item, and with "Continue On Fail" a
 * failed item becomes an error item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const name = this.getNodeParameter('operation', 0) as string;
	const operation: Operation | undefined = operations[name as keyof typeof operations];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported`);
	}
	if ('executeAll' in operation) return [await operation.executeAll.call(this)];

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			const results = await operation.execute.call(this, itemIndex);
			output.push(...results.map((result) => ({ ...result, pairedItem: { item: itemIndex } })));
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output.push(errorItem(this.getNode(), nodeError, itemIndex));
		}
	}
	return [output];
}
