/** Result files into binary data (a stub of n8n's helpers; poll and resume tests download over HTTP). */
import type { IExecuteFunctions } from 'n8n-workflow';

import { binaryPropertyName, downloadResultFiles } from '../../nodes/shared/binary';

function contextServing(files: Record<string, { type?: string } | Error>) {
	const prepared: Array<{ fileName?: string; mimeType?: string }> = [];
	const ctx = {
		getNode: () => ({ name: 'MaxApi' }),
		helpers: {
			httpRequest: async (options: { url: string; encoding?: string }) => {
				expect(options.encoding).toBe('stream');
				const file = files[options.url];
				if (file instanceof Error) throw file;
				return { headers: file?.type ? { 'content-type': file.type } : {}, body: options.url };
			},
			httpRequestWithAuthentication: async () => {
				throw new Error('the API key must not travel to a CDN');
			},
			prepareBinaryData: async (_body: unknown, fileName?: string, mimeType?: string) => {
				prepared.push({ fileName, mimeType });
				return { data: '', mimeType: mimeType ?? 'application/octet-stream', fileName };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, prepared };
}

describe('binary', () => {
	test('properties are data, data_1, data_2 … in the order of the URLs', () => {
		expect([0, 1, 2].map(binaryPropertyName)).toEqual(['data', 'data_1', 'data_2']);
	});

	test('each file is fetched without the API key, named after its URL, typed by its answer', async () => {
		const { ctx, prepared } = contextServing({
			'https://cdn.test/v/clip.mp4': { type: 'video/mp4; charset=binary' },
			'https://cdn.test/i/noext': {},
		});
		const binary = await downloadResultFiles(
			ctx,
			'task-1',
			['https://cdn.test/v/clip.mp4', 'https://cdn.test/i/noext'],
			0,
		);
		expect(Object.keys(binary)).toEqual(['data', 'data_1']);
		expect(prepared).toEqual([
			{ fileName: 'task-1-clip.mp4', mimeType: 'video/mp4' },
			{ fileName: 'task-1-1', mimeType: undefined },
		]);
	});

	test('a URL that does not parse still gets a name from the task', async () => {
		const { ctx, prepared } = contextServing({});
		await downloadResultFiles(ctx, 'task-2', ['not a url.mp4'], 0);
		expect(prepared).toEqual([{ fileName: 'task-2-0', mimeType: undefined }]);
	});

	test('a failed download names the file, the task and the URL, and says the URLs last 7 days', async () => {
		const { ctx } = contextServing({ 'https://cdn.test/gone.mp4': new Error('404 Not Found') });
		await expect(
			downloadResultFiles(ctx, 'task-3', ['https://cdn.test/gone.mp4'], 5),
		).rejects.toMatchObject({
			message: 'Could not download result file 1 of task task-3',
			description:
				'https://cdn.test/gone.mp4: 404 Not Found. Result URLs stay valid for 7 days; read the task with Get and download it later.',
			context: { itemIndex: 5 },
		});
	});
});
