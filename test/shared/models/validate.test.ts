/** Unit tests of the pure checks and media rules; actions/task/submitChecks.test.ts proves them through n8n. */
import { FAMILIES } from '../../../nodes/shared/models/catalogue';
import { generationMode, mediaKindOf } from '../../../nodes/shared/models/media';
import { findInputProblems, type SubmitPlan } from '../../../nodes/shared/models/validate';
import { isLocalHost } from '../../../nodes/shared/urls';

const seedance = FAMILIES.find((family) => family.id === 'seedance')!;
const veo = FAMILIES.find((family) => family.id === 'veo')!;

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
	['https://cdn.example.com/a.PNG?sig=1', 'image'],
	['https://cdn.example.com/clip.mov', 'video'],
	['https://cdn.example.com/voice.wav', 'audio'],
	['https://cdn.example.com/render', undefined],
])('media kind of %s is %s', (url, kind) => {
	expect(mediaKindOf(url)).toBe(kind);
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
])('isLocalHost(%s) is %s', (host, expected) => {
	expect(isLocalHost(host)).toBe(expected);
});

test('Veo modes name the generation mode whatever the image count', () => {
	expect(
		generationMode(plan(veo, 'veo3', 'Go', ['https://cdn.example.com/a.png'], { mode: 'r2v' })),
	).toBe('multi-reference');
	expect(generationMode(plan(veo, 'veo3', 'Go', ['https://cdn.example.com/a.png']))).toBe(
		'first-frame',
	);
});

test('an unknown model id gets no model checks, only prompt and URL checks', () => {
	const unknown = { ...plan(seedance, 'seedance-9.0', 'see @7'), model: undefined };
	expect(findInputProblems(unknown, checks)).toEqual([]);
	expect(findInputProblems({ ...unknown, media: ['ftp://x/a.png'] }, checks)).toHaveLength(1);
});
