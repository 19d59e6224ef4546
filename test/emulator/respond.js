'use strict';
// HTTP plumbing shared by the routes: reading a request body, writing a JSON answer.

const jsonHeaders = (data) => ({
	'content-type': 'application/json; charset=utf-8',
	'content-length': data.length,
});

function sendJson(res, status, body, headers = {}) {
	const data = Buffer.from(JSON.stringify(body));
	res.writeHead(status, { ...jsonHeaders(data), ...headers });
	res.end(data);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

// value = the parsed JSON, or the raw text when it does not parse (null for an empty body).
function parseJson(raw) {
	try {
		return { valid: true, value: JSON.parse(raw) };
	} catch {
		return { valid: false, value: raw === '' ? null : raw };
	}
}

module.exports = { jsonHeaders, sendJson, readBody, parseJson };
