import { jsonOf, MAXAPI_NODE, runMaxApi, useEmulator } from '../../../helpers';

const emulator = useEmulator();

const submit = (parameters: Record<string, unknown>) => ({
	operation: 'submit',
	waitForCompletion: 'none',
	...parameters,
});

describe('Submit', () => {
	test('sends the model, the prompt and the chosen fields, and outputs the task id and what was sent', async () => {
		const result = await runMaxApi(
			emulator,
			submit({
				family: 'seedance',
				model: 'seedance-2.0',
				prompt: 'A red fox in the snow',
				ratio: '16:9',
				resolution: '720p',
				duration: 10,
				fallback: true,
				options: { callBackUrl: 'https://hooks.example.com/maxapi', userId: 'customer-7' },
			}),
		);
		expect(result.status).toBe('success');
		const [output] = jsonOf(result.output(MAXAPI_NODE));
		const task = emulator.getTask(output.taskId as string);
		expect(task).toBeDefined();
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0].body).toEqual({
			model: 'seedance-2.0',
			input: {
				prompt: 'A red fox in the snow',
				ratio: '16:9',
				resolution: '720p',
				duration: 10,
				fallback: true,
			},
			callBackUrl: 'https://hooks.example.com/maxapi',
			user_id: 'customer-7',
		});
		expect(output).toEqual({
			taskId: task!.taskId,
			model: 'seedance-2.0',
			generationMode: 'text-to-video',
			request: emulator.requests[0].body,
		});
	});

	test('leaves unset fields out, so MaxAPI applies its own defaults', async () => {
		await runMaxApi(emulator, submit({ family: 'veo', model: 'veo3_fast', prompt: 'Waves' }));
		expect(emulator.requests[0].body).toEqual({ model: 'veo3_fast', input: { prompt: 'Waves' } });
	});

	test.each([
		['seedance', 'seedance-2.0-fast', 'mediaUrls'],
		['veo', 'veo3', 'imageUrls'],
		['nanoBanana', 'nano-banana-pro', 'imageUrls'],
		['seedream', 'seedream-4.5', 'imageUrls'],
		['gptImage2', 'gpt-image-2/image-to-image', 'imageUrls'],
		['grokImagine', 'grok-imagine/image-to-image', 'imageUrls'],
		['jimengVideo', 'jimeng-video-3.0', 'imageUrls'],
		['jimengImage', 'jimeng-4.0', 'images'],
	])('%s sends reference media as input.%s… (%s)', async (family, model, field) => {
		const result = await runMaxApi(
			emulator,
			submit({ family, model, prompt: 'Use @1', mediaUrls: 'https://cdn.example.com/a.png' }),
		);
		expect(result.status).toBe('success');
		const input = emulator.requests[0].body.input as Record<string, unknown>;
		expect(input[field]).toEqual(['https://cdn.example.com/a.png']);
		expect(Object.keys(input).filter((key) => /urls|images/i.test(key))).toEqual([field]);
	});

	test.each([
		[[], 'text-to-video'],
		[['https://cdn.example.com/first.png'], 'first-frame'],
		[
			['https://cdn.example.com/first.png', 'https://cdn.example.com/last.png'],
			'first-and-last-frame',
		],
		[
			[
				'https://cdn.example.com/1.png',
				'https://cdn.example.com/2.png',
				'https://cdn.example.com/3.png',
			],
			'multi-reference',
		],
		[['https://cdn.example.com/clip.mp4'], 'multi-reference'],
	])('shows the generation mode implied by the media %j: %s', async (media, mode) => {
		const result = await runMaxApi(
			emulator,
			submit({
				family: 'seedance',
				model: 'seedance-2.0',
				prompt: 'Go',
				mediaUrls: media.join('\n'),
			}),
		);
		expect(result.output(MAXAPI_NODE)[0].json.generationMode).toBe(mode);
	});

	test('image models report text-to-image or image-to-image; a Veo mode override wins', async () => {
		const items = [
			{ json: { family: 'nanoBanana', model: 'nano-banana', media: '' } },
			{
				json: {
					family: 'nanoBanana',
					model: 'nano-banana-2',
					media: 'https://cdn.example.com/a.png',
				},
			},
			{ json: { family: 'veo', model: 'veo3', media: 'https://cdn.example.com/style.png' } },
		];
		const result = await runMaxApi(
			emulator,
			submit({
				family: 'veo',
				model: '={{ $json.model }}',
				prompt: 'Go',
				mediaUrls: '={{ $json.media }}',
				options: { additionalInput: '={{ $json.model === "veo3" ? {"mode": "r2v"} : {} }}' },
			}),
			{ items },
		);
		expect(result.status).toBe('success');
		expect(jsonOf(result.output(MAXAPI_NODE)).map((json) => json.generationMode)).toEqual([
			'text-to-image',
			'image-to-image',
			'multi-reference',
		]);
	});

	test('takes the media list from an expression that gives an array, in order', async () => {
		const urls = ['https://cdn.example.com/b.png', 'https://cdn.example.com/a.png'];
		await runMaxApi(
			emulator,
			submit({
				family: 'seedance',
				model: 'seedance-2.0',
				prompt: '@2 then @1',
				mediaUrls: '={{ $json.urls }}',
			}),
			{ items: [{ json: { urls } }] },
		);
		expect((emulator.requests[0].body.input as Record<string, unknown>).mediaUrls).toEqual(urls);
	});

	test('a duration or n that arrives as text (from a sheet) is sent as a number', async () => {
		await runMaxApi(
			emulator,
			submit({
				family: 'seedance',
				model: 'seedance-2.0',
				prompt: 'Go',
				duration: '={{ $json.seconds }}',
			}),
			{ items: [{ json: { seconds: '12' } }] },
		);
		expect((emulator.requests[0].body.input as Record<string, unknown>).duration).toBe(12);
	});

	test('merges Additional Input (JSON) over the panel fields', async () => {
		await runMaxApi(
			emulator,
			submit({
				family: 'seedream',
				model: 'seedream-4',
				prompt: 'A poster',
				ratio: '1:1',
				n: 2,
				options: { additionalInput: '{"ratio": "21:9", "seed": 42}' },
			}),
		);
		expect(emulator.requests[0].body.input).toEqual({
			prompt: 'A poster',
			ratio: '21:9',
			n: 2,
			seed: 42,
		});
	});

	test("a model id typed by expression is sent as it is, with its own family's media field", async () => {
		const result = await runMaxApi(
			emulator,
			submit({
				family: 'seedance',
				model: '={{ "nano-banana-2" }}',
				prompt: 'Edit',
				mediaUrls: 'https://cdn.example.com/a.png',
			}),
		);
		expect(result.status).toBe('success');
		expect(emulator.requests[0].body).toEqual({
			model: 'nano-banana-2',
			input: { prompt: 'Edit', imageUrls: ['https://cdn.example.com/a.png'] },
		});
	});

	test('each input item gets its own task, output in input order with pairedItem', async () => {
		const items = ['one', 'two', 'three'].map((word) => ({ json: { word } }));
		const result = await runMaxApi(
			emulator,
			submit({ family: 'nanoBanana', model: 'nano-banana', prompt: '={{ $json.word }}' }),
			{ items },
		);
		const output = result.output(MAXAPI_NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(
			output.map((item) => emulator.getTask(item.json.taskId as string)?.input.prompt),
		).toEqual(['one', 'two', 'three']);
	});
});
