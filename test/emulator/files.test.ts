/** Result files under /files: image results, the download log, /files/large streaming, and the download rate. */
import http from 'http';

import {
	answered,
	countingGet,
	expectEmulatorSilent,
	getTask,
	SAMPLE_MP4,
	sleep,
	submitOk,
	timedGet,
	useFakeClock,
	useRealTimersAfterEach,
	waitUntil,
	withEmulator,
} from './fixtures';

expectEmulatorSilent();
useRealTimersAfterEach();

/** Starts a download and hangs up at its first bytes, as a client that gives up does. */
async function abandonDownload(url: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const req = http.get(url, (res) => res.once('data', () => req.destroy()));
		req
			.on('close', resolve)
			.on('error', (err: NodeJS.ErrnoException) =>
				err.code === 'ECONNRESET' ? resolve() : reject(err),
			);
	});
}

describe('emulator result files', () => {
	test('image results: n URLs to valid 64x64 PNGs; unknown files -> 404', async () => {
		useFakeClock(); // the tasks end by age, not by waiting
		await withEmulator({ latencyMs: 50 }, async (emu) => {
			const many = await submitOk(emu, 'gpt-image-2/text-to-image', { prompt: 'p', n: 3 });
			const one = await submitOk(emu, 'nano-banana', { prompt: 'p' });
			jest.advanceTimersByTime(80);
			const result = emu.getTask(many)!.result!;
			expect(result).toEqual({
				type: 'image',
				urls: [0, 1, 2].map((i) => `${emu.baseUrl}/files/${many}/${i}.png`),
			});
			expect(emu.getTask(one)?.result?.urls.length).toBe(1);
			const png = await fetch(result.urls[2]);
			expect(png.headers.get('content-type')).toBe('image/png');
			const bytes = Buffer.from(await png.arrayBuffer());
			expect(png.headers.get('content-length')).toBe(String(bytes.length));
			expect(
				bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
			).toBe(true);
			expect(bytes.toString('ascii', 12, 16)).toBe('IHDR');
			expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([64, 64]);
			for (const bad of [
				'/files/nope/0.png',
				`/files/${one}/0.gif`,
				'/files/large/abc.mp4',
				'/elsewhere',
			]) {
				const res = await fetch(emu.baseUrl + bad);
				expect({ path: bad, status: res.status }).toEqual({ path: bad, status: 404 });
				await res.arrayBuffer();
			}
		});
	});

	test('file downloads are listed in fileRequests, with whether they carried an Authorization header', async () => {
		await withEmulator({ latencyMs: 0 }, async (emu) => {
			const id = await submitOk(emu, 'veo3', { prompt: 'p' });
			const url = (await getTask(emu, id)).json.data.result.urls[0];
			await (await fetch(url)).arrayBuffer();
			await (await fetch(url, { headers: { authorization: 'Bearer leaked' } })).arrayBuffer();
			expect(emu.fileRequests).toEqual([
				{ path: `/files/${id}/0.mp4`, authorization: false },
				{ path: `/files/${id}/0.mp4`, authorization: true },
			]);
		});
	});

	test('GET /files/large/:bytes.mp4 streams exactly that many bytes (200 MB, flat memory)', async () => {
		await withEmulator({}, async (emu) => {
			const odd = await timedGet(`${emu.baseUrl}/files/large/100001.mp4`);
			expect(odd.bytes).toBe(100001);
			const rssBefore = process.memoryUsage().rss;
			const size = 200 * 1024 * 1024;
			const big = await timedGet(`${emu.baseUrl}/files/large/${size}.mp4`);
			expect(big.res.headers['content-type']).toBe('video/mp4');
			expect(big.res.headers['content-length']).toBe(String(size));
			expect(big.bytes).toBe(size);
			const grewMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
			expect(grewMb).toBeLessThan(100);
			// A client that gives up mid-download must not disturb the server.
			await abandonDownload(`${emu.baseUrl}/files/large/${size}.mp4`);
			expect((await timedGet(`${emu.baseUrl}/files/large/5.mp4`)).bytes).toBe(5);
		});
	});
});

describe('emulator download rate (downloadBytesPerSecond)', () => {
	test('each download is paced to downloadBytesPerSecond: K bytes take about K/R; HEAD and 404 at once', async () => {
		const rate = 20_000;
		await withEmulator({ latencyMs: 0, downloadBytesPerSecond: rate }, async (emu) => {
			const video = (await getTask(emu, await submitOk(emu, 'veo3', { prompt: 'p' }))).json.data;
			const image = (await getTask(emu, await submitOk(emu, 'nano-banana', { prompt: 'p' }))).json
				.data;
			// In parallel: the rate is per download, not shared.
			const [mp4, png, large] = await Promise.all([
				timedGet(video.result.urls[0]),
				timedGet(image.result.urls[0]),
				timedGet(`${emu.baseUrl}/files/large/5000.mp4`),
			]);
			expect(Buffer.concat(mp4.chunks).equals(SAMPLE_MP4)).toBe(true);
			for (const res of [mp4, png, large]) {
				const expectedMs = (res.bytes / rate) * 1000;
				expect(res.bytes).toBe(Number(res.res.headers['content-length']));
				expect(res.headersAfter).toBeLessThan(200); // headers at once
				expect(res.endAfter).toBeGreaterThanOrEqual(expectedMs - 2); // never faster than the rate
				expect(res.endAfter).toBeLessThan(expectedMs + 600); // generous
				expect(res.chunks.length).toBeGreaterThan(5); // in pieces, not at the end
			}
			const started = Date.now();
			const head = await fetch(video.result.urls[0], { method: 'HEAD' });
			expect(head.headers.get('content-length')).toBe(String(SAMPLE_MP4.length));
			expect((await fetch(`${emu.baseUrl}/files/nope/0.png`)).status).toBe(404);
			expect(Date.now() - started).toBeLessThan(200);
		});
	});

	test('never ahead of the rate at any moment (fake clock)', async () => {
		useFakeClock();
		await withEmulator({ downloadBytesPerSecond: 100_000 }, async (emu) => {
			const { bytes, done } = countingGet(`${emu.baseUrl}/files/large/100000.mp4`);
			await waitUntil(() => emu.fileRequests.length === 1);
			await sleep(30);
			expect(bytes()).toBe(0);
			for (let ms = 100; ms < 1000; ms += 100) {
				jest.advanceTimersByTime(100);
				// Every piece due by now arrives; none early. Pieces go out every 20 ms (2000 bytes).
				await waitUntil(() => bytes() >= ms * 100 - 2000);
				await sleep(10);
				expect(bytes()).toBeLessThanOrEqual(ms * 100);
			}
			jest.advanceTimersByTime(100);
			await answered(done);
			expect(bytes()).toBe(100_000);
		});
	});

	test('a 100 MiB file at 200 MB/s: paced, exact size, flat memory; a client that gives up does no harm', async () => {
		await withEmulator({ downloadBytesPerSecond: 200e6 }, async (emu) => {
			const size = 100 * 1024 * 1024;
			const rssBefore = process.memoryUsage().rss;
			const big = await timedGet(`${emu.baseUrl}/files/large/${size}.mp4`);
			expect(big.bytes).toBe(size);
			expect(big.endAfter).toBeGreaterThanOrEqual(Math.floor((size / 200e6) * 1000) - 2);
			expect((process.memoryUsage().rss - rssBefore) / 1024 / 1024).toBeLessThan(50);
			await abandonDownload(`${emu.baseUrl}/files/large/${size}.mp4`);
			expect((await timedGet(`${emu.baseUrl}/files/large/5.mp4`)).bytes).toBe(5);
		});
	});
});
