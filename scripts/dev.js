#!/usr/bin/env node
// `npm run dev`: a real n8n (the cached install of the e2e suite) with the freshly built package, the
// MaxAPI emulator, an owner account, a MaxAPI credential pointing at the emulator and the examples
// imported. Open the printed URL and build workflows without spending credits. Ctrl+C stops both.
const fs = require('node:fs');
const path = require('node:path');

const { createEmulator } = require('../test/emulator/server');
const { N8n, installN8n, installPackage, log, ROOT, OWNER } = require('./e2e/n8n');

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.MAXAPI_EMULATOR_PORT ?? 8787);

async function main() {
	const { cacheDir, nodeHome, n8nBin } = installN8n();
	// One user folder for every dev run: the owner, credential and workflows stay between runs.
	const userFolder = path.join(cacheDir, 'dev');
	fs.mkdirSync(userFolder, { recursive: true });
	const packageDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-maxapi');
	fs.rmSync(packageDir, { recursive: true, force: true });
	installPackage(userFolder);

	const emulator = createEmulator({ port: EMULATOR_PORT, latencyMs: 5000 });
	await emulator.start();
	const n8n = new N8n({
		nodeHome,
		n8nBin,
		userFolder,
		port: N8N_PORT,
		brokerPort: N8N_PORT + 1,
		encryptionKey: 'maxapi-dev-key',
	});
	const stop = async () => {
		log('\nStopping n8n and the emulator…');
		await n8n.stop();
		await emulator.stop();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);

	log(`Starting n8n on ${n8n.baseUrl} (first start takes about 15 s)…`);
	await n8n.start();
	await n8n.signIn();

	const stateFile = path.join(userFolder, 'maxapi-dev.json');
	const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};
	if (!state.credential) {
		state.credential = await n8n.createEmulatorCredential(emulator);
		for (const file of fs
			.readdirSync(path.join(ROOT, 'examples'))
			.filter((name) => name.endsWith('.json'))) {
			await n8n.createWorkflow(
				JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')),
				state.credential,
			);
		}
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
	}

	console.log(`
n8n with n8n-nodes-maxapi is ready:

  Editor     ${n8n.baseUrl}
  Login      ${OWNER.email} / ${OWNER.password}
  Credential "${state.credential.name}" → ${emulator.baseUrl} (API key ${emulator.apiKey})
  Examples   imported as workflows (examples/*.json)

The emulator finishes tasks in 5 s; steer it with prompt keywords such as mock:fail or mock:latency=20000.
After changing the code, stop with Ctrl+C and run npm run dev again.`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
