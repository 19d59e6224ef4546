import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class MaxApiApi implements ICredentialType {
	name = 'maxApiApi';

	displayName = 'MaxAPI API';

	icon: Icon = { light: 'file:maxapi.svg', dark: 'file:maxapi.dark.svg' };

	documentationUrl = 'https://docs.maxapi.io/api-reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your key from the MaxAPI dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.maxapi.io',
			description:
				'Change only to use a proxy or the local MaxAPI emulator (npm run emulator), e.g. http://127.0.0.1:8787',
		},
	];

	// A function rather than n8n's declarative form: n8n evaluates a declarative header as an expression
	// (in an expression isolate) on every request, and a batch sends thousands.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` },
		};
	}

	// MaxAPI has no "who am I" endpoint. Reading a task that cannot exist costs nothing and creates nothing:
	// a refused key answers 401 (as HTTP status or as envelope code), a good one "task not found".
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/task/00000000-0000-4000-8000-000000000000',
			method: 'GET',
			// Every status is judged by the rules below, so "task not found" (any 4xx) counts as a good key.
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 401,
					message: 'The API key was refused (401 unauthorized)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 403, message: 'The API key was refused (403 forbidden)' },
			},
		],
	};
}
