/** What both nodes show in n8n's panel and ask of the user: the MaxAPI icon and the MaxAPI credential. */
import type { INodeCredentialDescription } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './transport';

export const MAXAPI_ICON = { light: 'file:maxapi.svg', dark: 'file:maxapi.dark.svg' } as const;

export const MAXAPI_CREDENTIALS: INodeCredentialDescription[] = [
	{ name: CREDENTIAL_TYPE, required: true },
];
