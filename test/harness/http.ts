/** The bits of n8n's HTTP layer the webhook stand-ins need: the body as n8n parses it, and express's res. */
import type { IncomingMessage, ServerResponse } from 'http';

import type { IDataObject } from 'n8n-workflow';

export async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** The two express methods nodes use on the response: status() and json(). */
export function expressLike(res: ServerResponse, onReply: (status: number, body: unknown) => void) {
	return Object.assign(res, {
		status(code: number) {
			res.statusCode = code;
			return res;
		},
		json(body: IDataObject) {
			onReply(res.statusCode, body);
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(body));
			return res;
		},
	});
}


/** JSON when it parses (n8n's JSON body parser), otherwise the text as it came. */
export function parseBody(raw: string): unknown {
	try {
		return raw === '' ? {} : JSON.parse(raw);
	} catch {
		return raw;
	}
}
