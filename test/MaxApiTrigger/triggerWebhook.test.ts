/**
 * MaxApi Trigger, driven over real HTTP through a stand-in for n8n's production webhook route, with
 * n8n-core's WebhookContext; tasks and callbacks come from the emulator.
 */
import type { INodeParameters, INodeType, INodeTypes } from 'n8n-workflow';

import { jsonOf, maxApiWorkflow, runMaxApi, useEmulator } from '../helpers';
import { LiveWebhooks } from '../harness/live';
import { nodeTypes, type WorkflowJson } from '../harness/n8n';

const SECRET = 'sekret-0123456789abcdef';
const WEBHOOK_ID = '11111111-2222-4333-8444-555555555555';

const emulator = useEmulator({ latencyMs: 200, callbackRetryDelayMs: 50 });
const live = new LiveWebhooks();
beforeAll(async () => await live.start());
afterAll(async () => await live.stop());
beforeEach(() => live.deactivateAll());

function triggerWorkflow(parameters: INodeParameters = {}): WorkflowJson {
	return {
		nodes: [
			{
				id: '00000000-0000-4000-8000-0000000000a1',
				name: 'MaxApi Trigger',
				type: 'n8n-nodes-maxapi.maxApiTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: { secret: SECRET, ...parameters },
				credentials: { maxApiApi: { id: '1', name: 'MaxAPI account' } },
			},
		],
		connections: {},
	};
}

function activate(parameters: INodeParameters = {}): string {
	const [url] = live.activate(triggerWorkflow(parameters), {
		credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
	});
	return url;
}

async function post(url: string, body: string, contentType = 'application/json') {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body,
	});
	return {
		status: response.status,
		body: (await response.json().catch(() => undefined)) as Record<string, unknown>,
	};
}

/** A finished task in the emulator, and the envelope MaxAPI would post for it. */
async function finishedTask(
	prompt = 'A fox mock:latency=0',
	model = 'seedance-2.0',
	family = 'seedance',
) {
	const submitted = await runMaxApi(emulator, {
		operation: 'submit',
		waitForCompletion: 'none',
		family,
		model,
		prompt,
	});
	const taskId = String(jsonOf(submitted.output('MaxApi'))[0].taskId);
	const settled = prompt.includes('mock:never')
		? ['SUBMITTED']
		: ['SUCCESS', 'FAILURE', 'TIMEOUT', 'CANCELLED'];
	await emulator.waitFor(() => settled.includes(String(emulator.getTask(taskId)?.status)));
	return { taskId, envelope: { code: 0, msg: 'ok', data: emulator.getTask(taskId) } };
}

/** The node types of another n8n process: a fresh copy of the package's modules, so its own memory. */
function anotherProcessTypes(): INodeTypes {
	let trigger: INodeType | undefined;
	jest.isolateModules(() => {
		const { MaxApiTrigger } = require('../../nodes/MaxApiTrigger/MaxApiTrigger.node');
		trigger = new MaxApiTrigger() as INodeType;
	});
	return {
		...nodeTypes,
		getByNameAndVersion: (type, version) =>
			type === 'n8n-nodes-maxapi.maxApiTrigger'
				? trigger!
				: nodeTypes.getByNameAndVersion(type, version),
	};
}

const outputs = () =>
	live.executions.map((execution) => jsonOf(execution.output('MaxApi Trigger'))[0]);

describe('MaxApi Trigger', () => {
	test("a good callback starts the workflow once, with the API's version of the task", async () => {
		const url = activate();
		const { taskId, envelope } = await finishedTask();
		const claimed = {
			...envelope,
			data: { ...envelope.data, result: { type: 'video', urls: ['https://evil.example/x.mp4'] } },
		};
		const answer = await post(`${url}?secret=${SECRET}`, JSON.stringify(claimed));
		expect(answer).toEqual({ status: 200, body: { received: true, started: true } });
		await live.settled();
		expect(outputs()).toHaveLength(1);
		expect(outputs()[0]).toMatchObject({
			taskId,
			status: 'SUCCESS',
			finished: true,
			successful: true,
			resultUrl: `${emulator.baseUrl}/files/${taskId}/0.mp4`,
		});
		expect(
			emulator.requests.filter((request) => request.route === 'get' && request.taskId === taskId),
		).toHaveLength(1);
	});

	test("the output has the same shape as the MaxApi node's Get", async () => {
		const url = activate();
		const { taskId, envelope } = await finishedTask();
		await post(`${url}?secret=${SECRET}`, JSON.stringify(envelope));
		await live.settled();
		const get = await runMaxApi(emulator, { operation: 'get', taskId });
		expect(outputs()[0]).toEqual(jsonOf(get.output('MaxApi'))[0]);
	});

	describe('checks', () => {
		test.each([
			['no secret', ''],
			['a wrong secret', '?secret=sekret-0123456789abcdeX'],
			['a prefix of the secret', '?secret=sekret'],
			['the secret in another parameter', `?token=${SECRET}`],
		])('%s: 403, nothing starts', async (_name, query) => {
			const url = activate();
			const { envelope } = await finishedTask();
			const answer = await post(`${url}${query}`, JSON.stringify(envelope));
			expect(answer).toEqual({
				status: 403,
				body: { received: false, error: 'Wrong or missing secret' },
			});
			await live.settled();
			expect(live.executions).toHaveLength(0);
		});

		test('a task the API does not know: 404', async () => {
			const url = activate();
			const answer = await post(
				`${url}?secret=${SECRET}`,
				JSON.stringify({ code: 0, msg: 'ok', data: { taskId: 'made-up-task', status: 'SUCCESS' } }),
			);
			expect(answer.status).toBe(404);
			expect(answer.body.error).toBe('MaxAPI does not know task made-up-task');
		});

		test('a task the API shows as still running: 409', async () => {
			const url = activate();
			const { taskId, envelope } = await finishedTask('A fox mock:never');
			const answer = await post(
				`${url}?secret=${SECRET}`,
				JSON.stringify({ ...envelope, data: { ...envelope.data, status: 'SUCCESS' } }),
			);
			expect(answer.status).toBe(409);
			expect(answer.body.error).toMatch(
				new RegExp(`MaxAPI says task ${taskId} is (PROCESSING|SUBMITTED), not finished`),
			);
			await live.settled();
			expect(live.executions).toHaveLength(0);
		});

		test('MaxAPI unreachable for the check: 503, so the caller tries again later', async () => {
			const url = activate();
			const { envelope } = await finishedTask();
			emulator.injectFault({ route: 'get', type: 'status', status: 500, count: 4 });
			const answer = await post(`${url}?secret=${SECRET}`, JSON.stringify(envelope));
			expect(answer.status).toBe(503);
			await live.settled();
			expect(live.executions).toHaveLength(0);
		});

		test("with the API check off, the caller's version is passed on", async () => {
			const url = activate({ confirmWithApi: false });
			const body = {
				code: 0,
				msg: 'ok',
				data: {
					taskId: 'abc-123',
					status: 'FAILURE',
					failure_reason: 'CONTENT_MODERATION',
					result: null,
					input: { model: 'veo3' },
				},
			};
			expect((await post(`${url}?secret=${SECRET}`, JSON.stringify(body))).status).toBe(200);
			await live.settled();
			expect(outputs()[0]).toMatchObject({
				taskId: 'abc-123',
				status: 'FAILURE',
				failureReason: 'CONTENT_MODERATION',
				model: 'veo3',
			});
			expect(emulator.requests).toHaveLength(0);
		});
	});

	const valid = { taskId: 'abc', status: 'SUCCESS' };
	const malformed: Array<[string, string, string]> = [
		['an empty body', '', 'application/json'],
		['text that is not JSON', 'not json', 'text/plain'],
		['a JSON array', '[1,2]', 'application/json'],
		['a JSON string', '"text"', 'application/json'],
		['JSON null', 'null', 'application/json'],
		['an object without data', '{}', 'application/json'],
		['data null', '{"code":0,"data":null}', 'application/json'],
		['data a string', '{"code":0,"data":"abc"}', 'application/json'],
		['data an array', JSON.stringify({ code: 0, data: [valid] }), 'application/json'],
		['data without taskId', '{"code":0,"data":{"status":"SUCCESS"}}', 'application/json'],
		['a numeric taskId', '{"code":0,"data":{"taskId":123,"status":"SUCCESS"}}', 'application/json'],
		['an empty taskId', '{"code":0,"data":{"taskId":"","status":"SUCCESS"}}', 'application/json'],
		[
			'a path as taskId',
			'{"code":0,"data":{"taskId":"../../etc/passwd","status":"SUCCESS"}}',
			'application/json',
		],
		[
			'a 500-character taskId',
			JSON.stringify({ code: 0, data: { taskId: 'a'.repeat(500), status: 'SUCCESS' } }),
			'application/json',
		],
		['no status', '{"code":0,"data":{"taskId":"abc"}}', 'application/json'],
		['an unknown status', '{"code":0,"data":{"taskId":"abc","status":"DONE"}}', 'application/json'],
		[
			'a running status',
			'{"code":0,"data":{"taskId":"abc","status":"PROCESSING"}}',
			'application/json',
		],
		['a numeric status', '{"code":0,"data":{"taskId":"abc","status":1}}', 'application/json'],
		[
			'an error envelope',
			JSON.stringify({ code: 500, msg: 'boom', data: valid }),
			'application/json',
		],
		['a form-encoded body', 'taskId=abc&status=SUCCESS', 'application/x-www-form-urlencoded'],
	];

	test.each(malformed)(
		'a malformed body (%s): 400, nothing starts, MaxAPI not asked',
		async (_name, body, contentType) => {
			const url = activate();
			const answer = await post(`${url}?secret=${SECRET}`, body, contentType);
			expect(answer.status).toBe(400);
			expect(answer.body.error).toMatch(/^Not a MaxAPI task callback: /);
			await live.settled();
			expect(live.executions).toHaveLength(0);
			expect(emulator.requests).toHaveLength(0);
		},
	);

	describe('duplicates and filters', () => {
		test('the same callback twice starts one workflow; the second is acknowledged as a duplicate', async () => {
			const url = activate();
			const { envelope } = await finishedTask();
			await post(`${url}?secret=${SECRET}`, JSON.stringify(envelope));
			const again = await post(`${url}?secret=${SECRET}`, JSON.stringify(envelope));
			expect(again).toEqual({
				status: 200,
				body: { received: true, started: false, reason: 'duplicate' },
			});
			await live.settled();
			expect(live.executions).toHaveLength(1);
		});

		test.each([
			[5, false],
			[20, false],
			[20, true],
		])(
			'%i copies arriving together, with a slow API read (download files: %s), start one workflow',
			async (copies, downloadResults) => {
				const url = activate({ downloadResults });
				const { taskId, envelope } = await finishedTask();
				emulator.injectFault({ route: 'get', type: 'delay', delayMs: 300, count: 100 });
				const answers = await Promise.all(
					Array.from({ length: copies }, () =>
						post(`${url}?secret=${SECRET}`, JSON.stringify(envelope)),
					),
				);
				expect(answers.filter((answer) => answer.body.started === true)).toHaveLength(1);
				expect(answers.filter((answer) => answer.body.reason === 'duplicate')).toHaveLength(
					copies - 1,
				);
				await live.settled();
				expect(live.executions).toHaveLength(1);
				// The copies waited for the first one's answer and were not checked with the API again.
				expect(
					emulator.requests.filter(
						(request) => request.route === 'get' && request.taskId === taskId,
					),
				).toHaveLength(1);
				expect(emulator.fileRequests).toHaveLength(downloadResults ? 1 : 0);
			},
		);

		test('copies at once on one process, then one on another process seconds later: one workflow', async () => {
			// Queue mode: MaxAPI's copies land on whichever process the load balancer picks. Copies that wait
			// behind the first one loaded static data before it was saved; they must not save it back.
			const url = activate();
			const other = live.anotherProcess(anotherProcessTypes());
			await other.start();
			try {
				const { envelope } = await finishedTask();
				emulator.injectFault({ route: 'get', type: 'delay', delayMs: 300, count: 100 });
				const copies = await Promise.all(
					Array.from({ length: 5 }, () =>
						post(`${url}?secret=${SECRET}`, JSON.stringify(envelope)),
					),
				);
				expect(copies.filter((answer) => answer.body.started === true)).toHaveLength(1);
				const late = await post(
					`${url.replace(live.baseUrl, other.baseUrl)}?secret=${SECRET}`,
					JSON.stringify(envelope),
				);
				expect(late.body).toEqual({ received: true, started: false, reason: 'duplicate' });
				await live.settled();
				await other.settled();
				expect(live.executions.length + other.executions.length).toBe(1);
			} finally {
				await other.stop();
			}
		});

		test("copies of several tasks' callbacks, interleaved and at once: one workflow per task", async () => {
			const url = activate();
			const tasks = [
				await finishedTask('one mock:latency=0'),
				await finishedTask('two mock:latency=0'),
				await finishedTask('three mock:latency=0'),
			];
			emulator.injectFault({ route: 'get', type: 'delay', delayMs: 200, count: 100 });
			const calls = Array.from({ length: 5 }, () => tasks).flat();
			const answers = await Promise.all(
				calls.map(({ envelope }) => post(`${url}?secret=${SECRET}`, JSON.stringify(envelope))),
			);
			expect(answers.filter((answer) => answer.body.started === true)).toHaveLength(3);
			await live.settled();
			expect(
				outputs()
					.map((output) => output.taskId)
					.sort(),
			).toEqual(tasks.map(({ taskId }) => taskId).sort());
		});

		test("the started outcome is in the workflow's static data before MaxAPI gets its answer", async () => {
			const url = activate();
			const { taskId, envelope } = await finishedTask();
			const answer = await post(`${url}?secret=${SECRET}`, JSON.stringify(envelope));
			expect(answer.body.started).toBe(true);
			// (With the outcomes earlier tests started for this node: this process adds what it started.)
			expect(live.staticDataOf(url)).toEqual({
				'node:MaxApi Trigger': {
					seenOutcomes: expect.objectContaining({ [`${taskId}:SUCCESS`]: expect.any(Number) }),
				},
			});
		});

		test('an outcome not chosen is acknowledged (200) and starts nothing', async () => {
			const url = activate({ outcomes: ['SUCCESS'] });
			const { envelope } = await finishedTask('A fox mock:fail mock:latency=0');
			const answer = await post(`${url}?secret=${SECRET}`, JSON.stringify(envelope));
			expect(answer).toEqual({
				status: 200,
				body: { received: true, started: false, reason: 'outcome FAILURE is filtered out' },
			});
			await live.settled();
			expect(live.executions).toHaveLength(0);
		});

		test('a model not chosen is acknowledged (200) and starts nothing; a chosen one starts', async () => {
			const url = activate({ models: ['veo3', 'veo3_fast'] });
			const seedance = await finishedTask();
			expect(
				(await post(`${url}?secret=${SECRET}`, JSON.stringify(seedance.envelope))).body.reason,
			).toBe('model seedance-2.0 is filtered out');
			const veo = await finishedTask('Waves mock:latency=0', 'veo3_fast', 'veo');
			expect(
				(await post(`${url}?secret=${SECRET}`, JSON.stringify(veo.envelope))).body.started,
			).toBe(true);
			await live.settled();
			expect(outputs().map((output) => output.model)).toEqual(['veo3_fast']);
		});
	});

	test('result files come as binary data, downloaded after MaxAPI has its answer', async () => {
		const url = activate({ downloadResults: true });
		const { envelope } = await finishedTask(
			`A big one mock:latency=0 mock:resultBytes=${20 * 1024 * 1024}`,
		);
		const answer = await post(`${url}?secret=${SECRET}`, JSON.stringify(envelope));
		expect(answer.body.started).toBe(true);
		expect(live.executions).toHaveLength(0);
		await live.settled();
		const binary = live.executions[0].output('MaxApi Trigger')[0].binary!.data;
		expect(binary).toMatchObject({ mimeType: 'video/mp4' });
		expect(Buffer.from(binary.data, 'base64').length).toBe(20 * 1024 * 1024);
	});

	test("end to end: a task submitted with the trigger's URL as callback starts the trigger's workflow", async () => {
		const url = activate();
		const submit: WorkflowJson = maxApiWorkflow({
			operation: 'submit',
			waitForCompletion: 'none',
			family: 'nanoBanana',
			model: 'nano-banana-2',
			prompt: 'A poster mock:latency=300',
			options: { callBackUrl: `${url}?secret=${SECRET}` },
		});
		const submitted = await runMaxApi(emulator, submit.nodes[1].parameters);
		const taskId = jsonOf(submitted.output('MaxApi'))[0].taskId;
		await emulator.waitFor(
			() => emulator.callbacks.some((delivery) => delivery.status === 200),
			5000,
		);
		await live.settled();
		expect(outputs()).toEqual([
			expect.objectContaining({ taskId, status: 'SUCCESS', resultType: 'image' }),
		]);
		expect(emulator.callbacks).toHaveLength(1);
	});

	describe('Reference', () => {
		const REFERENCE = 'Row 7 · Ünïcode & more #1 = done?';

		test("a Reference given to Submit comes out of the trigger's run, whatever characters it holds", async () => {
			const url = activate();
			const submitted = await runMaxApi(
				emulator,
				{
					operation: 'submit',
					waitForCompletion: 'none',
					family: 'seedance',
					model: 'seedance-2.0',
					prompt: '={{ $json.prompt }}',
					options: { callBackUrl: `${url}?secret=${SECRET}`, reference: '={{ $json.reference }}' },
				},
				{
					items: [
						{ json: { prompt: 'one mock:latency=100', reference: REFERENCE } },
						{ json: { prompt: 'two mock:latency=300', reference: 12 } },
					],
				},
			);
			const [first, second] = jsonOf(submitted.output('MaxApi'));
			expect([first.reference, second.reference]).toEqual([REFERENCE, '12']);
			await emulator.waitFor(
				() => emulator.callbacks.filter((delivery) => delivery.status === 200).length === 2,
				5000,
			);
			await live.settled();
			const byTask = new Map(outputs().map((json) => [json.taskId, json.reference]));
			expect(byTask).toEqual(
				new Map([
					[first.taskId, REFERENCE],
					[second.taskId, '12'],
				]),
			);
		});

		test('a reference never makes a callback start a run: the API judges the task', async () => {
			const url = activate();
			const reference = `&reference=${encodeURIComponent(REFERENCE)}`;
			const forged = {
				code: 0,
				data: { taskId: 'no-such-task', status: 'SUCCESS' },
			};
			const unknown = await post(`${url}?secret=${SECRET}${reference}`, JSON.stringify(forged));
			expect(unknown.status).toBe(404);
			const { envelope } = await finishedTask('Still going mock:never');
			const running = await post(
				`${url}?secret=${SECRET}${reference}`,
				JSON.stringify({ ...envelope, data: { ...envelope.data, status: 'SUCCESS' } }),
			);
			expect(running.status).toBe(409);
			await live.settled();
			expect(outputs()).toEqual([]);
		});

		test('without a reference in the URL the output has none', async () => {
			const url = activate();
			const { envelope } = await finishedTask();
			await post(`${url}?secret=${SECRET}&reference=`, JSON.stringify(envelope));
			await live.settled();
			expect(outputs()[0]).not.toHaveProperty('reference');
		});
	});
});
