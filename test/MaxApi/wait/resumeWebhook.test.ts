/**
 * Submit with "Wait for Completion: Callback (Resume)": the execution parks, the emulator calls back over
 * HTTP to a server playing n8n's /webhook-waiting route, and the execution resumes once. Tasks run until
 * a test ends them (mock:never, then finishTask), so what happens in which order never depends on timing.
 */
import { jsonOf, MAXAPI_NODE, prompts, maxApiWorkflow } from '../../helpers';
import { useParking } from '../../harness/parking';

const { emulator, waiting, callback, taskIds, finish, park, resumeUrlOf, post } = useParking();

describe('Callback (resume)', () => {
	test('parks, then resumes once when every task has called back, with all items in input order', async () => {
		const { id, first } = await park(
			prompts('slow mock:never', 'quick mock:never', 'middle mock:never'),
		);
		expect(first.status).toBe('waiting');
		expect(waiting.status(id)).toBe('waiting');
		const submitted = emulator.requests.filter((request) => request.route === 'submit');
		expect(submitted.map((request) => request.body.callBackUrl)).toEqual(
			Array(3).fill(resumeUrlOf(id)),
		);
		// While it waits: one item naming the tasks (n8n drops it when the execution resumes).
		expect(jsonOf(first.output(MAXAPI_NODE))).toEqual([
			{ waitingForCallback: true, tasks: 3, finished: 0, taskIds: taskIds() },
		]);

		const [slow, quick, middle] = taskIds();
		await finish(quick);
		await finish(middle);
		await finish(slow);
		const result = await waiting.finished(id);
		expect(result.status).toBe('success');
		expect(waiting.resumeCount(id)).toBe(1);
		const output = result.output(MAXAPI_NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(jsonOf(output).map((json) => json.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
		expect(jsonOf(output).map((json) => (json.input as { prompt: string }).prompt)).toEqual([
			'slow mock:never',
			'quick mock:never',
			'middle mock:never',
		]);
		// Three callbacks: the first two are acknowledged without resuming, the last resumes.
		const answers = waiting.requests
			.filter((request) => request.executionId === id)
			.map((request) => request.response);
		expect(answers).toEqual([
			{ received: true, resumed: false },
			{ received: true, resumed: false },
			{ received: true, resumed: true },
		]);
	});

	test('each callback reads its task and one other, stopping at the first task still running', async () => {
		const { id } = await park(prompts('a mock:never', 'b mock:never', 'c mock:never'));
		const [a, b, c] = taskIds();
		let seen = 0;
		const newReads = () => {
			const reads = emulator.requests.filter((request) => request.route === 'get');
			const fresh = reads.slice(seen).map((request) => request.taskId);
			seen = reads.length;
			return fresh.sort();
		};
		// Just before parking, all three (a small batch is read whole).
		expect(newReads()).toEqual([a, b, c].sort());
		// a's callback: a, and one of the others as a probe (running: it stops there), not all three.
		await finish(a);
		const probed = newReads().filter((taskId) => taskId !== a);
		expect(probed).toHaveLength(1);
		expect([b, c]).toContain(probed[0]);
		expect(waiting.status(id)).toBe('waiting');
		// b's callback: b, and c (the one left) as a probe; a is known finished, so it is not read again.
		await finish(b);
		expect(newReads()).toEqual([b, c].sort());
		expect(waiting.status(id)).toBe('waiting');
		// c's callback: c alone, and every task has finished.
		await finish(c);
		await waiting.finished(id);
		expect(newReads()).toEqual([c]);
	});

	test('a copy of a callback about a task known to have finished reads nothing', async () => {
		const { id } = await park(prompts('a mock:never', 'b mock:never'));
		const [a] = taskIds();
		await finish(a);
		const reads = emulator.requests.length;
		const copy = await post(resumeUrlOf(id), { code: 0, msg: 'ok', data: emulator.getTask(a) });
		expect(copy).toEqual({ status: 200, body: { received: true, resumed: false } });
		expect(emulator.requests.slice(reads)).toEqual([]);
	});

	test('the callback that reads for the others is answered once its own round is read, not when all reads end', async () => {
		// MaxAPI waits for each answer (and may give up and call again): the reader's own answer must not
		// wait for the rounds it reads for the callbacks that came meanwhile.
		const { id } = await park(prompts('a mock:never', 'b mock:never', 'c mock:never'));
		const [a, b, c] = taskIds();
		emulator.injectFault({ route: 'get', type: 'hold', count: 100 });
		emulator.finishTask(a); // a's callback reads a and a probe: both held
		await emulator.waitFor(() => emulator.heldCount() === 2);
		await finish(b); // b's callback, while a's reads: answered at once
		const answerOf = (taskId: string) =>
			emulator.callbacks.find((delivery) => delivery.taskId === taskId);
		expect(answerOf(b)).toMatchObject({ status: 200 });
		expect(answerOf(a)).toBeUndefined();
		emulator.release(); // round 1 answers; round 2 reads b for its callback: held again
		await emulator.waitFor(() => emulator.heldCount() > 0);
		await emulator.waitFor(() => answerOf(a) !== undefined);
		expect(answerOf(a)).toMatchObject({ status: 200 });
		expect(emulator.heldCount()).toBeGreaterThan(0); // answered while its reads go on
		// The rest: c ends, and every read is let through until the execution has resumed.
		emulator.finishTask(c);
		let resumed = false;
		const result = waiting.finished(id).finally(() => (resumed = true));
		while (!resumed) {
			emulator.release();
			await emulator.waitFor(() => resumed || emulator.heldCount() > 0);
		}
		expect((await result).status).toBe('success');
	});

	test('callbacks one after another: the last callback resumes', async () => {
		const { id } = await park(prompts('a mock:never', 'b mock:never', 'c mock:never'));
		const [a, b, c] = taskIds();
		await finish(a);
		await finish(b);
		await finish(c);
		const result = await waiting.finished(id);
		expect(jsonOf(result.output(MAXAPI_NODE)).map((json) => json.status)).toEqual([
			'SUCCESS',
			'SUCCESS',
			'SUCCESS',
		]);
	});

	test('callbacks at the same moment, handled side by side as n8n does: the execution resumes once', async () => {
		const { id } = await park(prompts(...Array.from({ length: 12 }, (_, i) => `t${i} mock:never`)));
		await Promise.all(taskIds().map((taskId) => finish(taskId)));
		const result = await waiting.finished(id);
		expect(jsonOf(result.output(MAXAPI_NODE)).every((json) => json.status === 'SUCCESS')).toBe(
			true,
		);
		expect(waiting.resumeCount(id)).toBe(1);
		// The node's, not n8n's: one call let through (one callback reads at a time, the others are answered
		// at once), none answered 500 for losing the race. The guard for a copy that comes while the resume
		// is under way: the download test below.
		expect(waiting.resumeRequestCount(id)).toBe(1);
		expect(
			waiting.requests.filter((request) => request.executionId === id && request.status >= 500),
		).toEqual([]);
	});

	test('a forged or stray call does not resume: wrong token 401, unknown task 404, false claims ignored', async () => {
		const { id } = await park(prompts('never mock:never'));
		const [taskId] = [...emulator.tasks.keys()];

		const wrongToken = await post(`${waiting.baseUrl}/${id}?signature=${'0'.repeat(64)}`, {
			code: 0,
			data: { taskId, status: 'SUCCESS' },
		});
		expect(wrongToken.status).toBe(401);

		const stray = await post(resumeUrlOf(id), {
			code: 0,
			msg: 'ok',
			data: { taskId: 'not-ours', status: 'SUCCESS' },
		});
		expect(stray).toEqual({
			status: 404,
			body: { received: false, error: 'Task not-ours is not one this execution waits for' },
		});

		const malformed = await post(resumeUrlOf(id), { hello: 'world' });
		expect(malformed.status).toBe(400);

		// Our task id and a SUCCESS claim, but the API says it is still running.
		const lie = await post(resumeUrlOf(id), {
			code: 0,
			msg: 'ok',
			data: {
				taskId,
				status: 'SUCCESS',
				result: { type: 'video', urls: ['https://evil.example/x.mp4'] },
			},
		});
		expect(lie).toEqual({ status: 200, body: { received: true, resumed: false } });
		expect(waiting.status(id)).toBe('waiting');
		expect(waiting.resumeCount(id)).toBe(0);
	});

	test('a duplicate callback: acknowledged while waiting, 409 once the execution has resumed', async () => {
		const { id } = await park(prompts('quick mock:never', 'slower mock:never'));
		const [quick, slower] = taskIds();
		await finish(quick);
		const firstTask = emulator.getTask(quick)!;
		const again = await post(resumeUrlOf(id), { code: 0, msg: 'ok', data: firstTask });
		expect(again).toEqual({ status: 200, body: { received: true, resumed: false } });

		await finish(slower);
		const result = await waiting.finished(id);
		expect(result.status).toBe('success');
		const late = await post(resumeUrlOf(id), { code: 0, msg: 'ok', data: firstTask });
		expect(late.status).toBe(409);
		expect(waiting.resumeCount(id)).toBe(1);
	});

	test("a copy that comes while the resume is still downloading is answered by the node's own guard, not let through", async () => {
		// The mp4 takes seconds at this rate: the resume is under way all that time, and n8n would let the
		// copy reach the node (the execution is still "waiting" until webhook() returns).
		emulator.configure({ downloadBytesPerSecond: 500 });
		const { id } = await park(prompts('a video mock:never'), { downloadResults: true });
		const [taskId] = taskIds();
		emulator.finishTask(taskId);
		await emulator.waitFor(() => emulator.fileRequests.length === 1, 10_000);
		const copy = await post(resumeUrlOf(id), {
			code: 0,
			msg: 'ok',
			data: emulator.getTask(taskId),
		});
		expect(copy).toEqual({
			status: 200,
			body: { received: true, resumed: false, reason: 'the execution is already resuming' },
		});
		await waiting.finished(id);
		expect(waiting.resumeRequestCount(id)).toBe(1);
		expect(emulator.fileRequests).toHaveLength(1);
	});

	test('MaxAPI cannot be asked: the callback is answered 503 (call again), and a later call resumes', async () => {
		const { id } = await park(prompts('a mock:never'));
		const [a] = taskIds();
		// Every read of the first call fails (4 attempts each for the task and nothing else to probe).
		emulator.injectFault({ route: 'get', type: 'status', status: 500, count: 4 });
		await finish(a);
		const [first] = emulator.callbacks.filter((delivery) => delivery.taskId === a);
		expect(first.status).toBe(503);
		expect(first.answer).toMatch(/Could not confirm the tasks with MaxAPI.*call again later/);
		expect(waiting.status(id)).toBe('waiting');
		// MaxAPI calls again (the emulator's retry), the API answers now: it resumes.
		const result = await waiting.finished(id);
		expect(jsonOf(result.output(MAXAPI_NODE)).map((json) => json.status)).toEqual(['SUCCESS']);
	});

	test('an unsuccessful task comes out as an item with the error (a parked node cannot fail the run)', async () => {
		const { id } = await park(prompts('fine mock:never', 'bad mock:never'));
		const [fine, bad] = taskIds();
		await finish(fine);
		await finish(bad, { status: 'FAILURE', reason: 'INSUFFICIENT_POINTS' });
		const result = await waiting.finished(id);
		const [fineItem, badItem] = jsonOf(result.output(MAXAPI_NODE));
		expect(fineItem.error).toBeUndefined();
		expect(badItem).toMatchObject({ status: 'FAILURE', failureReason: 'INSUFFICIENT_POINTS' });
		expect(badItem.error).toBe(`Task ${bad} ended with status FAILURE: INSUFFICIENT_POINTS`);
	});

	test('with "Continue (using error output)", an unsuccessful task comes out on the error output', async () => {
		const { id } = await park(prompts('fine mock:never', 'bad mock:never'), {}, 'errorOutput');
		const [fine, bad] = taskIds();
		await finish(fine);
		await finish(bad, { status: 'FAILURE', reason: 'INSUFFICIENT_POINTS' });
		const result = await waiting.finished(id);
		expect(jsonOf(result.output(MAXAPI_NODE, 0)).map((json) => json.taskId)).toEqual([fine]);
		const failed = result.output(MAXAPI_NODE, 1);
		expect(jsonOf(failed)).toMatchObject([
			{ prompt: 'bad mock:never', details: { taskId: bad, status: 'FAILURE' } },
		]);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});

	test('result files are downloaded as binary data on resume', async () => {
		const { id } = await park(prompts('a video mock:never'), { downloadResults: true });
		await finish(taskIds()[0]);
		const result = await waiting.finished(id);
		expect(result.output(MAXAPI_NODE)[0].binary?.data).toMatchObject({ mimeType: 'video/mp4' });
	});

	test.each([5, 20])(
		'%i copies of the last callback at once, with a slow API: one resume, every file downloaded once',
		async (copies) => {
			const { id } = await park(prompts('first mock:never', 'last mock:never'), {
				downloadResults: true,
			});
			const [firstTask, lastTask] = taskIds();
			await finish(firstTask);
			emulator.configure({ callbackRetries: 0 });
			emulator.injectFault({ route: 'get', type: 'delay', delayMs: 300, count: 1000 });
			emulator.finishTask(lastTask);
			const envelope = { code: 0, msg: 'ok', data: emulator.getTask(lastTask) };
			const answers = await Promise.all(
				Array.from({ length: copies }, () => post(resumeUrlOf(id), envelope)),
			);

			const result = await waiting.finished(id);
			expect(result.status).toBe('success');
			expect(waiting.resumeCount(id)).toBe(1);
			// The copies and the emulator's own callback: one resumes, the others are acknowledged or get 409.
			expect(
				answers.map((answer) => answer.status).filter((status) => status !== 200 && status !== 409),
			).toEqual([]);
			const resumedAnswers = waiting.requests.filter(
				(request) =>
					request.executionId === id &&
					(request.response as { resumed?: boolean })?.resumed === true,
			);
			expect(resumedAnswers).toHaveLength(1);
			expect(emulator.fileRequests.map((request) => request.path).sort()).toEqual(
				[`/files/${firstTask}/0.mp4`, `/files/${lastTask}/0.mp4`].sort(),
			);
		},
	);

	test('an execution that parks again (a second Callback node, or a loop) resumes again', async () => {
		const workflow = maxApiWorkflow(callback());
		const again = {
			...workflow.nodes[1],
			id: '00000000-0000-4000-8000-000000000003',
			name: 'Again',
			position: [440, 0] as [number, number],
			parameters: callback({ prompt: '=again after {{ $json.taskId }} mock:never' }),
		};
		workflow.nodes.push(again);
		workflow.connections[MAXAPI_NODE] = {
			main: [[{ node: 'Again', type: 'main' as never, index: 0 }]],
		};
		const { id } = await waiting.run(workflow, {
			credentials: { maxApiApi: { apiKey: emulator.apiKey, baseUrl: emulator.baseUrl } },
			items: prompts('one mock:never', 'two mock:never'),
		});
		for (const taskId of taskIds()) await finish(taskId);
		await emulator.waitFor(() => emulator.tasks.size === 4);
		await emulator.waitFor(() => waiting.status(id) === 'waiting');
		for (const taskId of taskIds().slice(2)) await finish(taskId);
		const result = await waiting.finished(id);
		expect(result.status).toBe('success');
		expect(jsonOf(result.output('Again')).map((json) => json.status)).toEqual([
			'SUCCESS',
			'SUCCESS',
		]);
		expect(waiting.resumeCount(id)).toBe(2);
	});

	test("each item's Reference comes out on resume, the error items' too", async () => {
		const { id } = await park(
			[
				{ json: { prompt: 'fine mock:never', reference: 'row 1' } },
				{ json: { prompt: 'bad mock:never', reference: 'row 2' } },
			],
			{ options: { reference: '={{ $json.reference }}' } },
		);
		const [fine, bad] = taskIds();
		await finish(fine);
		await finish(bad, { status: 'FAILURE', reason: 'CONTENT_MODERATION' });
		const result = await waiting.finished(id);
		expect(jsonOf(result.output(MAXAPI_NODE))).toEqual([
			expect.objectContaining({ status: 'SUCCESS', reference: 'row 1' }),
			expect.objectContaining({ error: expect.any(String), reference: 'row 2' }),
		]);
	});
});
