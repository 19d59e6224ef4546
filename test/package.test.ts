/** What n8n and its community-package scanner require of the package, its credential and its node. */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

import { MaxApiApi } from '../credentials/MaxApiApi.credentials';
import { MaxApi } from '../nodes/MaxApi/MaxApi.node';
import { MaxApiTrigger } from '../nodes/MaxApiTrigger/MaxApiTrigger.node';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('package.json is a community node package with no runtime dependencies', () => {
	expect(pkg.name).toBe('n8n-nodes-maxapi');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.files).toEqual(['dist', 'index.js']);
	expect(pkg.n8n).toEqual({
		n8nNodesApiVersion: 1,
		credentials: ['dist/credentials/MaxApiApi.credentials.js'],
		nodes: ['dist/nodes/MaxApi/MaxApi.node.js', 'dist/nodes/MaxApiTrigger/MaxApiTrigger.node.js'],
	});
});

test('the built files n8n loads exist, with their icons next to them', () => {
	for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes])
		expect(existsSync(join(root, file))).toBe(true);
	for (const icon of [
		'dist/nodes/MaxApi/maxapi.svg',
		'dist/nodes/MaxApi/maxapi.dark.svg',
		'dist/nodes/MaxApiTrigger/maxapi.svg',
		'dist/nodes/MaxApiTrigger/maxapi.dark.svg',
		'dist/credentials/maxapi.svg',
	]) {
		expect(existsSync(join(root, icon))).toBe(true);
	}
});

test('the credential keeps the key secret and sends it as a bearer token', async () => {
	const credential = new MaxApiApi();
	expect(credential.name).toBe('maxApiApi');
	const apiKey = credential.properties.find((property) => property.name === 'apiKey');
	expect(apiKey?.typeOptions?.password).toBe(true);
	expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe(
		'https://api.maxapi.io',
	);
	// A bearer header, added without n8n's expression engine.
	expect(
		await credential.authenticate({ apiKey: 'k-123' }, { url: 'x', headers: { Accept: 'a' } }),
	).toEqual({ url: 'x', headers: { Accept: 'a', Authorization: 'Bearer k-123' } });
	expect(credential.test.request.method).toBe('GET');
});

test('the node can be used as an AI agent tool and needs the credential', () => {
	const { description } = new MaxApi();
	expect(description.usableAsTool).toBe(true);
	expect(description.credentials).toEqual([{ name: 'maxApiApi', required: true }]);
	expect(description.name).toBe('maxApi');
});

test('the trigger is a webhook trigger with no input, not a tool', () => {
	const { description } = new MaxApiTrigger();
	expect(description.name).toBe('maxApiTrigger');
	expect(description.inputs).toEqual([]);
	expect(description.usableAsTool).toBeUndefined();
	expect(description.webhooks).toEqual([
		expect.objectContaining({
			name: 'default',
			httpMethod: 'POST',
			path: 'callback',
			responseMode: 'onReceived',
		}),
	]);
	const secret = description.properties.find((property) => property.name === 'secret');
	expect(secret?.typeOptions?.password).toBe(true);
});

test('the codex file names the categories and documentation', () => {
	const codex = JSON.parse(readFileSync(join(root, 'nodes/MaxApi/MaxApi.node.json'), 'utf8'));
	expect(codex.node).toBe('n8n-nodes-maxapi.maxApi');
	expect(codex.categories).toEqual(['AI', 'Marketing & Content']);
	expect(codex.resources.primaryDocumentation.length).toBeGreaterThan(0);
});

// Modules that hold only n8n's description, types or catalogue data: the tests of the modules that use
// them cover them.
const WITHOUT_LOGIC = [
	/\.node\.ts$/,
	/\.description\.ts$/,
	/^nodes\/MaxApi\/actions\/task\/index\.ts$/,
	/^nodes\/MaxApi\/wait\/itemState\.ts$/,
	/^nodes\/shared\/iconAndCredential\.ts$/,
	/^nodes\/shared\/models\/(types|imageFamilies|videoFamilies|legacyFamilies)\.ts$/,
];

function sourceFiles(dir: string): string[] {
	return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory()
			? sourceFiles(join(dir, entry.name))
			: entry.name.endsWith('.ts')
				? [join(dir, entry.name)]
				: [],
	);
}

test('every module with logic has its test file: the same name, in the same relative folder', () => {
	const modules = [...sourceFiles('nodes'), ...sourceFiles('credentials')];
	const missing = modules
		.filter((file) => !WITHOUT_LOGIC.some((pattern) => pattern.test(file)))
		.map((file) => relative('nodes', file).replace(/\.ts$/, '.test.ts'))
		.map((file) => (file.startsWith('..') ? file.replace(/^\.\.\//, '') : file))
		.filter((test) => !existsSync(join(root, 'test', test)));
	expect(missing).toEqual([]);
	expect(modules.length).toBeGreaterThan(40);
});
