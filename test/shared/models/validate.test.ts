/** The checks before a submit (validate.ts, findInputProblems): prompt, URLs, @N references, and limits when on. */
import { findFamily } from '../../../nodes/shared/models/catalogue';
import { findInputProblems, type SubmitPlan } from '../../../nodes/shared/models/validate';

const seedance = findFamily('seedance')!;
const veo = findFamily('veo')!;

function plan(
	family = seedance,
	modelId = 'seedance-2.0',
	prompt = 'Go',
	media: string[] = [],
	extra = {},
): SubmitPlan {
	return {
		family,
		model: family.models.find((model) => model.id === modelId),
		modelId,
		input: { prompt, ...extra },
		media,
	};
}

const checks = { checkModelLimits: true, apiIsLocal: false };

test.each([
	['see @1 and @2', 2, 0],
	['see @3', 2, 1],
	['email me @2pm', 0, 0],
	['@image1 @IMAGE2', 1, 1],
	['@图1 @图2', 2, 0],
	['price @0', 1, 1],
	['user@12345.example', 0, 1],
])('references in %j with %i media: %i problem(s)', (prompt, count, expected) => {
	const media = Array.from({ length: count }, (_, i) => `https://cdn.example.com/${i}.png`);
	expect(findInputProblems(plan(seedance, 'seedance-2.0', prompt, media), checks)).toHaveLength(
		expected,
	);
});

test.each([
	['localhost', true],
	['LOCALHOST', true],
	['app.localhost', true],
	['127.0.0.1', true],
	['127.1.2.3', true],
	['[::1]', true],
	['0.0.0.0', true],
	['api.maxapi.io', false],
	['127.example.com', false],
	['localhost.example.com', false],
])('a media URL on %s points to this machine: %s', (host, local) => {
	const problems = findInputProblems(
		plan(seedance, 'seedance-2.0', 'Go', [`https://${host}/a.png`]),
		checks,
	);
	expect(problems.map((problem) => problem.message)).toEqual(
		local
			? [
					`Item 1 "https://${host}/a.png" points to this machine (${host.toLowerCase()}), which MaxAPI cannot reach`,
				]
			: [],
	);
});

test('an unknown model id gets no model checks, only prompt and URL checks', () => {
	const unknown = { ...plan(seedance, 'seedance-9.0', 'see @7'), model: undefined };
	expect(findInputProblems(unknown, checks)).toEqual([]);
	expect(findInputProblems({ ...unknown, media: ['ftp://x/a.png'] }, checks)).toHaveLength(1);
});

test.each([
	['empty', ''],
	['blank', ' \n\t'],
	['not text', 42],
	['missing', undefined],
])('a prompt that is %s is refused', (_what, prompt) => {
	const submit = { ...plan(), input: { prompt } };
	expect(findInputProblems(submit, checks)).toEqual([
		expect.objectContaining({ field: 'Prompt', message: 'The prompt is empty' }),
	]);
});

test('a media item that is not a URL, or not http(s), is refused by its position', () => {
	const problems = findInputProblems(
		plan(veo, 'veo3', 'Go', [
			'https://cdn.example.com/a.png',
			'a.png',
			'ftp://cdn.example.com/b.png',
		]),
		checks,
	);
	expect(problems).toEqual([
		{
			field: 'Image URLs',
			message: 'Item 2 "a.png" is not a URL',
			fix: 'Use a full http:// or https:// address.',
		},
		{
			field: 'Image URLs',
			message: 'Item 3 "ftp://cdn.example.com/b.png" is not an http(s) URL',
			fix: 'Use a public http:// or https:// address; MaxAPI fetches it over the internet.',
		},
	]);
});

test('local URLs pass when the API is local too (an emulator can reach them)', () => {
	const local = {
		...plan(seedance, 'seedance-2.0', 'Go', ['http://localhost:8080/a.png']),
		callBackUrl: 'http://127.0.0.1:5678/webhook',
	};
	expect(findInputProblems(local, { ...checks, apiIsLocal: true })).toEqual([]);
	expect(findInputProblems(local, checks).map((problem) => problem.field)).toEqual([
		'Media URLs',
		'Callback URL',
	]);
});

test('a local callback URL is refused with advice on tunnels', () => {
	const submit = { ...plan(), callBackUrl: 'http://localhost:5678/webhook' };
	const [problem] = findInputProblems(submit, checks);
	expect(problem.field).toBe('Callback URL');
	expect(problem.message).toBe(
		'The callback URL "http://localhost:5678/webhook" points to this machine (localhost), which MaxAPI cannot reach',
	);
	expect(problem.fix).toContain('WEBHOOK_URL');
});

test('a reference past the list names the media field and how many items it has', () => {
	expect(
		findInputProblems(
			plan(veo, 'veo3', 'see @2 and @2', ['https://cdn.example.com/a.png']),
			checks,
		),
	).toEqual([
		expect.objectContaining({
			field: 'Prompt',
			message: 'The prompt refers to @2, but Image URLs has 1 item',
		}),
	]);
});

test("with Check Input Against Model Limits on, the model's media and value limits apply", () => {
	const tooMuch = plan(
		seedance,
		'seedance-1.5-pro',
		'Go',
		[
			'https://cdn.example.com/a.png',
			'https://cdn.example.com/b.png',
			'https://cdn.example.com/c.png',
		],
		{ duration: 7 },
	);
	expect(findInputProblems(tooMuch, checks).map((problem) => problem.field)).toEqual([
		'Media URLs',
		'Media URLs',
		'Duration',
	]);
});

test('with Check Input Against Model Limits off, only the prompt and URLs are checked', () => {
	const tooMuch = plan(
		seedance,
		'seedance-1.5-pro',
		'see @9',
		[
			'https://cdn.example.com/a.png',
			'https://cdn.example.com/b.png',
			'https://cdn.example.com/c.png',
		],
		{ duration: 7 },
	);
	const off = { ...checks, checkModelLimits: false };
	expect(findInputProblems(tooMuch, off)).toEqual([]);
	expect(findInputProblems({ ...tooMuch, input: { prompt: '' } }, off)).toHaveLength(1);
});
