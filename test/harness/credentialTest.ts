/**
 * Runs the credential's connection test the way n8n's CredentialsTester does for a declarative `test`:
 * the request goes through a RoutingNode with the credential, every error is a failure, and the `rules`
 * are applied to the answer's body.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INode, INodeType } from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import { ExecutionLifecycleHooks } from 'n8n-core';

import { MaxApiApi } from '../../credentials/MaxApiApi.credentials';
import { additionalDataFor } from './n8n';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export async function testMaxApiCredential(
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const credentialType = new MaxApiApi();
	const test = credentialType.test;
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'test', name: 'test' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {} as never);
	const additionalData = additionalDataFor(
		{ [credentialType.name]: data },
		hooks,
		'credential-test',
	);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: 'test',
		name: 'test',
		type: credentialType.name,
		data,
	});

	let body: unknown;
	try {
		const response = await routingNode.runNode();
		body = response?.[0]?.[0]?.json;
	} catch (error) {
		return { status: 'Error', message: String(error.message) };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = (body as Record<string, unknown> | undefined)?.[rule.properties.key];
		if (value === rule.properties.value)
			return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
