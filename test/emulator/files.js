'use strict';
// Result files under /files (no auth, like a CDN): a sample MP4 or PNG per result URL, and /files/large/N.mp4.
// Every body is streamed by shaping.streamBody, at most at opts.downloadBytesPerSecond per download.
const fs = require('node:fs');
const path = require('node:path');
const { makePng } = require('./png');
const { sendJson } = require('./respond');
const { MAX_CHUNK, streamBody } = require('./shaping');

const SAMPLE_MP4 = fs.readFileSync(path.join(__dirname, 'media', 'sample.mp4'));
const SAMPLE_PNG = makePng(64, 64);
const LARGE_CHUNK = Buffer.alloc(MAX_CHUNK); // reused for every chunk of /files/large/*
const zeros = (offset, size) =>
	size === LARGE_CHUNK.length ? LARGE_CHUNK : LARGE_CHUNK.subarray(0, size);

/**
 * Returns handleFile(req, res, pathname) for every request under /files/; each download goes to
 * state.fileRequests with whether it carried an Authorization header (a CDN must never get the API key).
 */
function createFileHandler(state) {
	// Headers at once; the body (none for HEAD) in chunks of at most 64 KiB, with backpressure, at the
	// download rate in force when the download starts.
	function sendFile(req, res, type, total, chunkAt) {
		res.writeHead(200, { 'content-type': type, 'content-length': total });
		if (req.method === 'HEAD') return res.end();
		streamBody(state, res, total, chunkAt, state.opts.downloadBytesPerSecond);
	}

	return function handleFile(req, res, pathname) {
		const notFound = () => {
			res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
			res.end('not found');
		};
		if (req.method !== 'GET' && req.method !== 'HEAD') return notFound();
		if (req.method === 'GET')
			state.fileRequests.push({
				path: pathname,
				authorization: req.headers.authorization !== undefined,
			});
		const large = /^\/files\/large\/(\d+)\.mp4$/.exec(pathname);
		if (large) {
			const total = Number(large[1]);
			if (!Number.isSafeInteger(total))
				return sendJson(res, 400, { code: 400, msg: 'size too large' });
			return sendFile(req, res, 'video/mp4', total, zeros);
		}
		const match = /^\/files\/([^/]+)\/\d+\.(mp4|png)$/.exec(pathname);
		if (!match || !state.tasks.has(match[1])) return notFound();
		const [type, data] = match[2] === 'mp4' ? ['video/mp4', SAMPLE_MP4] : ['image/png', SAMPLE_PNG];
		sendFile(req, res, type, data.length, (offset, size) => data.subarray(offset, offset + size));
	};
}

module.exports = { createFileHandler };
