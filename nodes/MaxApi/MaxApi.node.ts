import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { taskDescription } from './actions/task';

export class MaxApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MaxApi',
		name: 'maxApi',
		icon: { light: 'file:maxapi.svg', dark: 'file:maxapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ($parameter["model"] ? ": " + $parameter["model"] : "")}}',
		description:
			'Generate videos and images with Seedance, Veo, Nano Banana, Seedream, Grok Imagine and GPT Image 2 through MaxAPI',
		defaults: { name: 'MaxApi' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'maxApiApi', required: true }],
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

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
