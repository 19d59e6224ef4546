// The templates in templates/: each imports into this n8n, every node type (at its version) is one this
// n8n has, and each MaxApi node runs as the template sets it, against the emulator, on sample items shaped
// like what its upstream node gives it. The parts that need third-party accounts (Google, Gmail, OpenAI)
// are not run; the MaxApi tools of the agent template are checked for their type only (an agent needs a
// chat model to call them).
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const { ROOT, postJson, webhookWorkflow, codeNode, sharedStep } = require('./suite');
const { waitUntil } = require('./waitUntil');

const SAMPLE_INPUT = {
	'sheet-prompts-to-videos.json': {
		'Make videos': [
			{ row_number: 2, prompt: 'A paper boat drifts down a rainy street' },
			{ row_number: 3, prompt: 'A red kite over a green hill', status: '' },
		],
	},
	'form-to-image-email.json': {
		'Make image': [
			{
				Prompt: 'A fox in fresh snow, watercolour',
				'Image URL': 'https://example.com/fox.png',
				Email: 'someone@example.com',
			},
		],
	},
	'chat-agent-images-videos.json': {},
};

const readTemplate = (file) =>
	JSON.parse(fs.readFileSync(path.join(ROOT, 'templates', file), 'utf8'));
const templateFiles = () =>
	fs.readdirSync(path.join(ROOT, 'templates')).filter((file) => file.endsWith('.json'));

function hasVersion(type, version) {
	return Array.isArray(type.version) ? type.version.includes(version) : type.version === version;
}

/** Runs one MaxApi node of a template after a Code node that gives it `samples`; resolves with the run. */
async function runWithSampleInput(ctx, file, node, samples, index) {
	const { n8n, credential, emulator } = ctx;
	emulator.reset();
	const pathName = `maxapi-template-${path.basename(file, '.json')}-${index}`;
	const workflow = webhookWorkflow(
		`template part: ${node.name}`,
		pathName,
		[codeNode('Sample input', samples), { ...node, position: [440, 0] }],
		{ 'Sample input': { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
	);
	const { created, url } = await n8n.activateWebhookWorkflow(workflow, credential, pathName);
	await postJson(url, {});
	const execution = await waitUntil(
		async () => {
			const [found] = await n8n.executions(created.id);
			return found && ['success', 'error', 'crashed'].includes(found.status) && found;
		},
		{ timeoutMs: 60_000, what: `${node.name} to run` },
	);
	await n8n.api('POST', `/workflows/${created.id}/deactivate`);
	return execution;
}

function checkTemplates(ctx) {
	// The node types this n8n has, read once for every template.
	const nodeTypes = sharedStep(
		async () =>
			await (
				await fetch(`${ctx.n8n.baseUrl}/types/nodes.json`, { headers: { cookie: ctx.n8n.cookie } })
			).json(),
	);
	for (const file of templateFiles()) {
		test(`templates/${file}: every node type is one this n8n has, at its version`, async () => {
			const types = await nodeTypes();
			const missing = readTemplate(file).nodes.filter(
				(node) =>
					!types.some((type) => type.name === node.type && hasVersion(type, node.typeVersion)),
			);
			assert.deepStrictEqual(
				missing.map((node) => `${node.type} v${node.typeVersion}`),
				[],
				'node types this n8n does not have',
			);
		});

		test(`templates/${file}: imports`, async () => {
			await ctx.n8n.createWorkflow(readTemplate(file), ctx.credential);
		});

		test(`templates/${file}: its MaxApi nodes run against the emulator, every item finished`, async () => {
			const samples = SAMPLE_INPUT[file];
			assert(samples, `no sample input for ${file} in templateChecks.js`);
			const runnable = readTemplate(file).nodes.filter(
				(node) => node.type === 'n8n-nodes-maxapi.maxApi',
			);
			assert.deepStrictEqual(runnable.map((node) => node.name).sort(), Object.keys(samples).sort());
			for (const [index, node] of runnable.entries()) {
				const execution = await runWithSampleInput(ctx, file, node, samples[node.name], index);
				assert.strictEqual(
					execution.status,
					'success',
					`${node.name}: ${execution.data?.resultData?.error?.message}`,
				);
				const output = execution.data.resultData.runData[node.name][0].data.main[0];
				assert.strictEqual(output.length, samples[node.name].length, `${node.name}: items out`);
				for (const item of output) {
					assert.strictEqual(item.json.status, 'SUCCESS', JSON.stringify(item.json));
					if (node.parameters.downloadResults) assert(item.binary?.data, `${node.name}: no file`);
				}
				// The sheet template finds its row again by the Reference (the row number).
				if (node.parameters.options?.reference)
					assert.deepStrictEqual(
						output.map((item) => item.json.reference),
						samples[node.name].map((sample) => String(sample.row_number)),
						`${node.name}: references`,
					);
			}
		});
	}
}

module.exports = { checkTemplates };
