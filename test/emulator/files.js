'use strict';
// Result files under /files (no auth, like a CDN): a sample MP4 or PNG per result URL, and /files/large/N.mp4.
const fs = require('node:fs');
const path = require('node:path');
const { makePng } = require('./png');
const { sendJson } = require('./respond');

const SAMPLE_MP4 = fs.readFileSync(path.join(__dirname, 'media', 'sample.mp4'));
const SAMPLE_PNG = makePng(64, 64);
const LARGE_CHUNK = Buffer.alloc(64 * 1024); // reused for every chunk of /files/large/*

// Streams `total` bytes in 64 KiB chunks, waiting for 'drain' so memory stays flat for any size.
function streamLarge(req, res, total) {
	if (!Number.isSafeInteger(total)) return sendJson(res, 400, { code: 400, msg: 'size too large' });
	res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': total });
	if (req.method === 'HEAD') return res.end();
	let left = total;
	const pump = () => {
		while (left > 0) {
			if (res.destroyed) return;
			const size = Math.min(left, LARGE_CHUNK.length);
			left -= size;
			if (!res.write(size === LARGE_CHUNK.length ? LARGE_CHUNK : LARGE_CHUNK.subarray(0, size))) {
				res.once('drain', pump);
				return;
			}
		}
		res.end();
	};
	pump();
}

/**
 * Returns handleFile(req, res, pathname) for every request under /files/; each download goes to
 * state.fileRequests with whether it carried an Authorization header (a CDN must never get the API key).
 */
function createFileHandler(state) {
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
		if (large) return streamLarge(req, res, Number(large[1]));
		const match = /^\/files\/([^/]+)\/\d+\.(mp4|png)$/.exec(pathname);
		if (!match || !state.tasks.has(match[1])) return notFound();
		const [type, data] = match[2] === 'mp4' ? ['video/mp4', SAMPLE_MP4] : ['image/png', SAMPLE_PNG];
		res.writeHead(200, { 'content-type': type, 'content-length': data.length });
		res.end(req.method === 'HEAD' ? undefined : data);
	};
}

module.exports = { createFileHandler };
