import type { IDataObject } from 'n8n-workflow';

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

describe('Reference', () => {
	const items = (...rows: Array<[string, IDataObject[string]]>) =>
		rows.map(([prompt, reference]) => ({ json: { prompt, reference } }));
	const withReference = (parameters: Record<string, unknown>) =>
		submit({
			family: 'seedance',
			model: 'seedance-2.0',
			prompt: '={{ $json.prompt }}',
			...parameters,
			options: { reference: '={{ $json.reference }}', ...(parameters.options as object) },
		});

	test("Don't Wait: on every output item, and in the callback URL, never in what MaxAPI is asked to make", async () => {
		const result = await runMaxApi(
			emulator,
			withReference({ options: { callBackUrl: 'https://hooks.example.com/in?secret=s' } }),
			{ items: items(['one', 'Row 7 & #1'], ['two', 8], ['three', '']) },
		);
		const outputs = jsonOf(result.output(MAXAPI_NODE));
		expect(outputs.map((json) => json.reference)).toEqual(['Row 7 & #1', '8', undefined]);
		expect(outputs[2]).not.toHaveProperty('reference');
		const sent = emulator.requests.map((request) => request.body);
		expect(sent.map((body) => body.callBackUrl)).toEqual([
			'https://hooks.example.com/in?secret=s&reference=Row+7+%26+%231',
			'https://hooks.example.com/in?secret=s&reference=8',
			'https://hooks.example.com/in?secret=s',
		]);
		expect(JSON.stringify(sent.map((body) => body.input))).not.toContain('reference');
	});

	test('Poll: on finished tasks and on error items, on either output', async () => {
		const rows = items(['fine mock:latency=200', 'a'], ['bad mock:fail=CONTENT_MODERATION', 'b']);
		const regular = await runMaxApi(emulator, withReference({ waitForCompletion: 'poll' }), {
			items: rows,
			continueOnFail: true,
		});
		expect(jsonOf(regular.output(MAXAPI_NODE))).toEqual([
			expect.objectContaining({ status: 'SUCCESS', reference: 'a' }),
			expect.objectContaining({ status: 'FAILURE', error: expect.any(String), reference: 'b' }),
		]);
		const split = await runMaxApi(emulator, withReference({ waitForCompletion: 'poll' }), {
			items: rows,
			errorOutput: true,
		});
		expect(jsonOf(split.output(MAXAPI_NODE, 0))).toEqual([
			expect.objectContaining({ reference: 'a' }),
		]);
		expect(jsonOf(split.output(MAXAPI_NODE, 1))).toEqual([
			expect.objectContaining({ details: expect.objectContaining({ reference: 'b' }) }),
		]);
	});

	test('an item whose other fields are refused keeps its reference on its error item', async () => {
		const result = await runMaxApi(emulator, withReference({}), {
			items: items(['', 'empty prompt row'], ['fine', 'ok row']),
			continueOnFail: true,
		});
		expect(jsonOf(result.output(MAXAPI_NODE))).toEqual([
			expect.objectContaining({
				error: expect.stringMatching(/^Prompt/),
				reference: 'empty prompt row',
			}),
			expect.objectContaining({ taskId: expect.any(String), reference: 'ok row' }),
		]);
	});

	test('a reference too long, or not text, stops the run before anything is sent', async () => {
		const long = await runMaxApi(emulator, withReference({}), {
			items: items(['fine', 'ok'], ['fine', 'x'.repeat(201)]),
		});
		expect(long.error?.message).toBe('Reference: 201 characters, at most 200');
		const object = await runMaxApi(emulator, withReference({}), {
			items: items(['fine', { row: 1 }]),
		});
		expect(object.error?.message).toBe('Reference: not text (an object)');
		expect(emulator.requests).toHaveLength(0);
	});
});
