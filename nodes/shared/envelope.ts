/**
 * MaxAPI's answers: an envelope `{code, msg, data}` beside the HTTP status. Whether the status mirrors
 * `code` is not documented, so both count.
 */
import type { IDataObject } from 'n8n-workflow';

import { isObject } from './errors';

export type ApiReply =
	{ ok: true; data: unknown } | { ok: false; code: number; msg: string; data?: IDataObject };

/** Reads one HTTP answer: an error wins whether it shows in the HTTP status or in the envelope. */
export function readReply(httpStatus: number, body: unknown): ApiReply {
	const envelope = isObject(body) ? body : undefined;
	const envelopeCode = typeof envelope?.code === 'number' ? envelope.code : undefined;
	const msg = typeof envelope?.msg === 'string' ? envelope.msg : '';
	const data = isObject(envelope?.data) ? envelope.data : undefined;
	const httpOk = httpStatus >= 200 && httpStatus < 300;

	if (httpOk && envelopeCode === 0) return { ok: true, data: envelope?.data };
	if (!httpOk) {
		// An envelope code other than 0 names the error better than the HTTP status.
		const code = envelopeCode || httpStatus;
		return { ok: false, code, msg: msg || `HTTP ${httpStatus}`, data };
	}
	if (envelopeCode !== undefined) return { ok: false, code: envelopeCode, msg, data };
	return {
		ok: false,
		code: httpStatus,
		msg: 'The answer was not a MaxAPI envelope ({code, msg, data}). Check the Base URL in the credential.',
	};
}
