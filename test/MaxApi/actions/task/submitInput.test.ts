/**
 * Bad input is refused by the node before anything is sent: each case names the field and the fix,
 * and the emulator receives no request at all.
 */
import { runMaxApi, useEmulator } from '../../../helpers';

const emulator = useEmulator();

const IMG = (name: string) => `https://cdn.example.com/${name}.png`;

const cases: Array<[string, Record<string, unknown>, RegExp, RegExp]> = [
	[
		'an @3 reference with two images',
		{
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: 'Blend @1 into @3',
			mediaUrls: `${IMG('a')},${IMG('b')}`,
		},
		/^Prompt: The prompt refers to @3, but Media URLs has 2 items$/,
		/@N means the N-th URL/,
	],
	[
		'an @image2 reference with no media',
		{ family: 'seedance', model: 'seedance-2.0', prompt: 'Animate @image2' },
		/^Prompt: The prompt refers to @image2, but Media URLs has 0 items$/,
		/Add the missing media/,
	],
	[
		'an @图4 reference past the list',
		{
			family: 'jimengVideo',
			model: 'jimeng-video-3.0',
			prompt: '让 @图4 动起来',
			mediaUrls: IMG('a'),
		},
		/@图4, but Image URLs has 1 item$/,
		/Add the missing media/,
	],
	[
		'seedance-1.5-pro with three images',
		{
			family: 'seedance',
			model: 'seedance-1.5-pro',
			prompt: 'Go',
			mediaUrls: [IMG('a'), IMG('b'), IMG('c')].join(' '),
		},
		/^Media URLs: seedance-1\.5-pro takes at most 2 reference media, but 3 were given$/,
		/Keep 2 or fewer URLs/,
	],
	[
		'seedance-1.5-pro with a video reference',
		{
			family: 'seedance',
			model: 'seedance-1.5-pro',
			prompt: 'Go',
			mediaUrls: 'https://cdn.example.com/clip.mp4',
		},
		/^Media URLs: seedance-1\.5-pro takes image only/,
		/need seedance-2\.0 or seedance-2\.0-fast/,
	],
	[
		'seedance-2.0 with ten images',
		{
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: 'Go',
			mediaUrls: Array.from({ length: 10 }, (_, i) => IMG(String(i))).join(','),
		},
		/takes at most 9 images, but 10 were given/,
		/Keep 9 or fewer images/,
	],
	[
		'a seedance duration out of range (by JSON)',
		{
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: 'Go',
			options: { additionalInput: '{"duration": 20}' },
		},
		/^Duration: seedance-2\.0 does not support duration 20$/,
		/Use one of: 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15/,
	],
	[
		'a seedance-1.5-pro duration of 8 s',
		{
			family: 'seedance',
			model: 'seedance-1.5-pro',
			prompt: 'Go',
			options: { additionalInput: '{"duration": 8}' },
		},
		/does not support duration 8/,
		/Use one of: 5, 10/,
	],
	[
		'a Veo duration of 5 s',
		{ family: 'veo', model: 'veo3', prompt: 'Go', duration: '={{ 5 }}' },
		/does not support duration 5/,
		/Use one of: 4, 6, 8/,
	],
	[
		'Veo first+last-frame mode with one image',
		{ family: 'veo', model: 'veo3', prompt: 'Go', mode: 'i2v-fl', mediaUrls: IMG('a') },
		/^Mode: Mode i2v-fl \(first \+ last frame: exactly 2 images\) does not fit 1 image$/,
		/Change the mode/,
	],
	[
		'Veo with four images',
		{
			family: 'veo',
			model: 'veo3_fast',
			prompt: 'Go',
			mediaUrls: [1, 2, 3, 4].map((i) => IMG(String(i))).join(','),
		},
		/takes at most 3 reference media, but 4 were given/,
		/Keep 3 or fewer/,
	],
	[
		'n above the Seedream 5 Lite range',
		{ family: 'seedream', model: 'seedream-5-lite', prompt: 'Go', n: 5 },
		/^Number of Images: seedream-5-lite makes 1–4 images per task, not 5$/,
		/whole number from 1 to 4/,
	],
	[
		'GPT Image 2 at 4k with a 1:1 ratio',
		{
			family: 'gptImage2',
			model: 'gpt-image-2/text-to-image',
			prompt: 'Go',
			ratio: '1:1',
			resolution: '4k',
		},
		/at 4k supports only the ratios 16:9, 9:16, 2:1, 1:2, 21:9, 9:21, not 1:1/,
		/lower resolution/,
	],
	[
		'a ratio Nano Banana does not have',
		{
			family: 'nanoBanana',
			model: 'nano-banana',
			prompt: 'Go',
			options: { additionalInput: '{"ratio": "1:1"}' },
		},
		/^Ratio: nano-banana does not support ratio "1:1"$/,
		/Use one of: 16:9, 9:16/,
	],
	[
		'a ratio for Grok Imagine Lite, which takes none',
		{
			family: 'grokImagine',
			model: 'grok-imagine/text-to-image-lite',
			prompt: 'Go',
			options: { additionalInput: '{"ratio": "1:1"}' },
		},
		/takes no ratio/,
		/Remove ratio/,
	],
	[
		'media for a text-only model',
		{
			family: 'gptImage2',
			model: 'gpt-image-2/text-to-image',
			prompt: 'Go',
			options: { additionalInput: `{"imageUrls": ["${IMG('a')}"]}` },
		},
		/takes no reference media, but 1 was given/,
		/choose an image-to-image/,
	],
	[
		'an image-to-image model without an image',
		{ family: 'gptImage2', model: 'gpt-image-2/image-to-image', prompt: 'Go' },
		/needs at least 1 reference image/,
		/Add an image URL/,
	],
	[
		'a non-http media URL',
		{
			family: 'nanoBanana',
			model: 'nano-banana-2',
			prompt: 'Go',
			mediaUrls: 'ftp://files.example.com/a.png',
		},
		/^Image URLs: Item 1 "ftp:\/\/files\.example\.com\/a\.png" is not an http\(s\) URL$/,
		/public http:\/\/ or https:\/\//,
	],
	[
		'a media entry that is not a URL',
		{ family: 'seedance', model: 'seedance-2.0', prompt: 'Go', mediaUrls: 'first.png' },
		/Item 1 "first\.png" is not a URL/,
		/full http/,
	],
	[
		'an empty prompt',
		{ family: 'seedance', model: 'seedance-2.0', prompt: '   ' },
		/^Prompt: The prompt is empty$/,
		/Describe what to generate/,
	],
	[
		'Additional Input that is not a JSON object',
		{
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: 'Go',
			options: { additionalInput: '{ratio: 16:9}' },
		},
		/^Additional Input \(JSON\): not a JSON object$/,
		/\{"ratio": "21:9"\}/,
	],
];

describe('checks before spending credits', () => {
	test.each(cases)('refuses %s', async (_name, parameters, message, fix) => {
		const result = await runMaxApi(emulator, { operation: 'submit', ...parameters });
		expect(result.status).toBe('error');
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(fix);
		expect(emulator.requests).toHaveLength(0);
	});

	test('lists every problem, not only the first', async () => {
		const result = await runMaxApi(emulator, {
			operation: 'submit',
			family: 'seedance',
			model: 'seedance-1.5-pro',
			prompt: 'Use @4',
			mediaUrls: `${IMG('a')},${IMG('b')},${IMG('c')}`,
			options: { additionalInput: '{"duration": 7}' },
		});
		expect(result.error?.message).toMatch(/^Prompt: .*@4/);
		expect(result.error?.description).toMatch(/Nothing was sent to MaxAPI/);
		expect(result.error?.description).toMatch(/Media URLs: seedance-1\.5-pro takes at most 2/);
		expect(result.error?.description).toMatch(
			/Duration: seedance-1\.5-pro does not support duration 7/,
		);
	});

	test('with the model checks off, the input is sent as it is and MaxAPI has the last word', async () => {
		const result = await runMaxApi(emulator, {
			operation: 'submit',
			family: 'seedance',
			model: 'seedance-1.5-pro',
			prompt: 'Blend @1 and @3',
			mediaUrls: `${IMG('a')},${IMG('b')},${IMG('c')}`,
			options: { checkModelLimits: false },
		});
		expect(emulator.submitCount()).toBe(1);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/^MaxAPI rejected the request: .*mediaUrls/);
		expect(result.error?.description).toMatch(/Nothing was charged/);
	});

	test("with the model checks off, an @N past the list is not the node's business", async () => {
		const result = await runMaxApi(emulator, {
			operation: 'submit',
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: 'Meet me @3',
			options: { checkModelLimits: false },
		});
		expect(result.status).toBe('success');
		expect(emulator.submitCount()).toBe(1);
	});

	test('URL checks stay on even with the model checks off', async () => {
		const result = await runMaxApi(emulator, {
			operation: 'submit',
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: 'Go',
			mediaUrls: 'file:///tmp/a.png',
			options: { checkModelLimits: false },
		});
		expect(result.error?.message).toMatch(/is not an http\(s\) URL/);
		expect(emulator.requests).toHaveLength(0);
	});

	describe('localhost URLs', () => {
		// A base URL that no resolver answers: if a check failed to stop the request, it could not go anywhere.
		const remoteApi = { baseUrl: 'https://api.maxapi.invalid', apiKey: 'k' };

		test('a localhost callback URL is refused for the real MaxAPI, with how to fix it', async () => {
			const result = await runMaxApi(
				emulator,
				{
					operation: 'submit',
					family: 'seedance',
					model: 'seedance-2.0',
					prompt: 'Go',
					options: { callBackUrl: 'http://localhost:5678/webhook/abc' },
				},
				remoteApi,
			);
			expect(result.error?.message).toBe(
				'Callback URL: The callback URL "http://localhost:5678/webhook/abc" points to this machine (localhost), which MaxAPI cannot reach',
			);
			expect(result.error?.description).toMatch(/refuses localhost callback URLs.*WEBHOOK_URL/);
		});

		test.each([
			'http://127.0.0.1/a.png',
			'http://[::1]/a.png',
			'http://0.0.0.0/a.png',
			'http://studio.localhost/a.png',
		])('a media URL on this machine (%s) is refused for the real MaxAPI', async (url) => {
			const result = await runMaxApi(
				emulator,
				{
					operation: 'submit',
					family: 'nanoBanana',
					model: 'nano-banana',
					prompt: 'Go',
					mediaUrls: url,
				},
				remoteApi,
			);
			expect(result.error?.message).toMatch(/points to this machine/);
		});

		test('the local emulator can reach local URLs, so they are allowed when the API itself is local', async () => {
			const result = await runMaxApi(emulator, {
				operation: 'submit',
				family: 'seedance',
				model: 'seedance-2.0',
				prompt: 'Go',
				options: { callBackUrl: 'http://127.0.0.1:5678/webhook/abc' },
			});
			expect(result.status).toBe('success');
			expect(emulator.submitCount()).toBe(1);
		});
	});
});
