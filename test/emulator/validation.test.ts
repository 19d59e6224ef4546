/** What POST /api/v1/task/submit refuses: each 400 names the field; per-model limits; moderation; local callbacks. */
import { call, expectEmulatorSilent, submit, submitOk, withEmulator } from './fixtures';

expectEmulatorSilent();

// [body, the 400 message it gets]
const REFUSED: Array<[Record<string, unknown>, RegExp]> = [
	[{ input: { prompt: 'p' } }, /^model is required/],
	[{ model: 42, input: { prompt: 'p' } }, /^model is required/],
	[{ model: 'sora-9', input: { prompt: 'p' } }, /model "sora-9" is not a known model id/],
	[{ model: 'veo3' }, /^input is required/],
	[{ model: 'veo3', input: [] }, /^input is required/],
	[{ model: 'veo3', input: {} }, /^input\.prompt is required/],
	[{ model: 'veo3', input: { prompt: '   ' } }, /^input\.prompt is required/],
	[
		{ model: 'veo3', input: { prompt: 'p' }, callBackUrl: 'ftp://x/y' },
		/^callBackUrl must be an http\(s\) URL/,
	],
	[
		{ model: 'veo3', input: { prompt: 'p' }, callBackUrl: 'not a url' },
		/^callBackUrl must be an http\(s\) URL/,
	],
	[
		{ model: 'veo3', input: { prompt: 'p', imageUrls: 'http://a/b.png' } },
		/^input\.imageUrls must be an array/,
	],
	[{ model: 'jimeng-4.6', input: { prompt: 'p', images: [1] } }, /^input\.images must be an array/],
	[
		{ model: 'seedance-2.0', input: { prompt: 'p', mediaUrls: [] } },
		/input\.mediaUrls must contain 1 to 12 items/,
	],
	[
		{ model: 'seedance-2.0', input: { prompt: 'p', mediaUrls: Array(13).fill('http://a/v.mp4') } },
		/1 to 12 items/,
	],
	[
		{
			model: 'seedance-2.0-fast',
			input: { prompt: 'p', mediaUrls: Array(10).fill('http://a/i.JPG?x=1') },
		},
		/at most 9 images for model seedance-2\.0-fast/,
	],
	[
		{ model: 'seedance-2.0', input: { prompt: 'p', imageUrls: Array(13).fill('http://a/i.png') } },
		/input\.imageUrls must contain/,
	],
	[
		{ model: 'seedance-2.0', input: { prompt: 'p', duration: 3 } },
		/input\.duration must be an integer from 4 to 15/,
	],
	[
		{ model: 'seedance-2.0', input: { prompt: 'p', ratio: '21:9' } },
		/input\.ratio must be one of 1:1/,
	],
	[
		{ model: 'seedance-2.0', input: { prompt: 'p', resolution: '4k' } },
		/input\.resolution must be one of 480p/,
	],
	[
		{
			model: 'seedance-1.5-pro',
			input: { prompt: 'p', mediaUrls: ['http://a/1.png', 'http://a/2.mov'] },
		},
		/accepts only images .* for model seedance-1\.5-pro/,
	],
	[
		{
			model: 'seedance-1.5-pro',
			input: { prompt: 'p', mediaUrls: ['http://a/1.png', 'http://a/2.png', 'http://a/3.png'] },
		},
		/1 to 2 items/,
	],
	[
		{ model: 'seedance-1.5-pro', input: { prompt: 'p', duration: 8 } },
		/input\.duration must be one of 5, 10/,
	],
	[
		{ model: 'veo3', input: { prompt: 'p', ratio: '1:1' } },
		/input\.ratio must be one of 16:9, 9:16 for model veo3$/,
	],
	[
		{ model: 'veo3_fast', input: { prompt: 'p', duration: 5 } },
		/input\.duration must be one of 4, 6, 8/,
	],
	[
		{ model: 'veo3', input: { prompt: 'p', resolution: '720p' } },
		/input\.resolution must be one of 1080p, 4k/,
	],
	[{ model: 'veo3', input: { prompt: 'p', imageUrls: ['a', 'b', 'c', 'd'] } }, /at most 3 items/],
	[
		{ model: 'veo3_lite', input: { prompt: 'p', mode: 'r2v' } },
		/input\.mode must be one of i2v, i2v-fl for model veo3_lite/,
	],
	[
		{ model: 'nano-banana', input: { prompt: 'p', ratio: '1:1' } },
		/input\.ratio must be one of 16:9, 9:16/,
	],
	[
		{ model: 'nano-banana-pro', input: { prompt: 'p', resolution: '8k' } },
		/input\.resolution must be one of 1k, 2k, 4k/,
	],
	[
		{ model: 'seedream-5-lite', input: { prompt: 'p', n: 5 } },
		/input\.n must be an integer from 1 to 4/,
	],
	[
		{ model: 'seedream-4', input: { prompt: 'p', n: 16 } },
		/input\.n must be an integer from 1 to 15/,
	],
	[{ model: 'seedream-4.5', input: { prompt: 'p', ratio: '5:4' } }, /input\.ratio must be one of/],
	[
		{ model: 'gpt-image-2/text-to-image', input: { prompt: 'p', n: 11 } },
		/input\.n must be an integer from 1 to 10/,
	],
	[
		{ model: 'gpt-image-2/image-to-image', input: { prompt: 'p', ratio: '7:3' } },
		/input\.ratio must be one of/,
	],
	[{ model: 'grok-imagine/text-to-image-lite', input: { prompt: 'p', n: 5 } }, /from 1 to 4/],
	[
		{ model: 'grok-imagine/text-to-image-pro', input: { prompt: 'p', resolution: '480p' } },
		/720p, 1080p/,
	],
	[
		{ model: 'grok-imagine/image-to-image', input: { prompt: 'p', imageUrls: ['a', 'b', 'c'] } },
		/at most 2 items/,
	],
	[
		{ model: 'grok-imagine/text-to-video', input: { prompt: 'p', duration: 8 } },
		/one of 6, 10, 12, 16, 20/,
	],
	[
		{ model: 'grok-imagine/text-to-video', input: { prompt: 'p', mode: 'wild' } },
		/fun, normal, spicy, custom/,
	],
];

// [model, input]: at the edge of each kind of limit, or with fields no limit covers.
const ACCEPTED: Array<[string, Record<string, unknown>]> = [
	[
		'seedance-2.0',
		{
			prompt: 'p',
			mediaUrls: [...Array(9).fill('http://a/i.png'), 'http://a/v.mp4', 'http://a/s.mp3'],
			duration: 15,
			ratio: '9:16',
			resolution: '1080p',
		},
	],
	['seedance-2.0', { prompt: 'p', imageUrls: ['http://a/i.png'], fallback: true }],
	[
		'seedance-1.5-pro',
		{ prompt: 'p', mediaUrls: ['http://a/1.png', 'http://a/2.webp'], duration: 10 },
	],
	['veo3', { prompt: 'p', imageUrls: ['a', 'b', 'c'], mode: 'r2v', resolution: '4k', duration: 8 }],
	['veo3_lite', { prompt: 'p', resolution: '720p', mode: 'i2v-fl' }],
	['nano-banana-2', { prompt: 'p', ratio: '1:1', resolution: '2k', imageUrls: [] }],
	['seedream-4.6', { prompt: 'p', n: 15, ratio: '21:9' }],
	['gpt-image-2/text-to-image', { prompt: 'p', ratio: '9:21', resolution: '4k', n: 10 }],
	['grok-imagine/text-to-image-lite', { prompt: 'p', ratio: 'anything' }],
	['grok-imagine/text-to-video', { prompt: 'p', duration: 20, mode: 'spicy', resolution: '480p' }],
	['jimeng-video-3.5-pro', { prompt: 'p', imageUrls: ['a'], duration: 99 }],
	['jimeng-xl-pro', { prompt: 'p', images: ['a'], someUnknownField: { x: 1 } }],
	['seedance-2.0-pro', { prompt: 'p mock:never' }],
];

describe('emulator submit validation: errors name the field; model limits apply', () => {
	// Named by model and expected message: the bodies are too long for a test name.
	const refused = REFUSED.map(
		([body, expected]) =>
			[`${String(body.model ?? '(no model)')} ${expected}`, body, expected] as const,
	);
	test.each(refused)('refuses %s', (_name, body, expected) =>
		withEmulator({}, async (emu) => {
			const res = await call(emu, 'POST', '/api/v1/task/submit', { body });
			expect(res.status).toBe(400);
			expect(res.json.code).toBe(400);
			expect(res.json.msg).toMatch(expected);
			expect(res.json.data).toBeUndefined();
			expect(emu.tasks.size).toBe(0);
		}),
	);

	test.each(ACCEPTED)('accepts %s (case %#)', (model, input) =>
		withEmulator({}, async (emu) => {
			await submitOk(emu, model, input);
			expect(emu.tasks.size).toBe(1);
		}),
	);
});

describe('emulator submit: moderation and local callbacks', () => {
	test('moderation keyword -> documented 400 with categories, no task', async () => {
		await withEmulator({}, async (emu) => {
			const res = await submit(emu, 'seedance-2.0', { prompt: 'a fight mock:moderation' });
			expect(res.status).toBe(400);
			expect(res.json).toEqual({
				code: 400,
				msg: 'content rejected by moderation',
				data: {
					flagged: true,
					categories: {
						harassment: false,
						'harassment/threatening': false,
						sexual: false,
						hate: false,
						'hate/threatening': false,
						illicit: false,
						'illicit/violent': false,
						'self-harm': false,
						'self-harm/intent': false,
						'self-harm/instructions': false,
						'sexual/minors': false,
						violence: true,
						'violence/graphic': true,
					},
				},
			});
			expect(emu.tasks.size).toBe(0);
		});
	});

	test('rejectLocalCallbacks: localhost / 127.x / ::1 / 0.0.0.0 refused with 400', async () => {
		await withEmulator({ rejectLocalCallbacks: true }, async (emu) => {
			for (const url of [
				'http://localhost:5678/hook',
				'http://127.0.0.2/x',
				'http://[::1]:8080/',
				'https://0.0.0.0/cb',
			]) {
				const res = await submit(emu, 'veo3', { prompt: 'p' }, { callBackUrl: url });
				expect({ url, status: res.status }).toEqual({ url, status: 400 });
				expect(res.json).toEqual({ code: 400, msg: 'callBackUrl must not point to localhost' });
			}
			await submitOk(
				emu,
				'veo3',
				{ prompt: 'p mock:never' },
				{ callBackUrl: 'https://example.com/hook' },
			);
			expect(emu.tasks.size).toBe(1);
		});
	});
});
