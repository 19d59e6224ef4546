// Runs before any test file imports n8n-core: n8n-core builds its InstanceSettings under N8N_USER_FOLDER.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Under jest, inside the run's temporary folder (globalSetup.js), which is removed when jest ends; for the
// demo and the benchmark, removed when the process exits.
if (!process.env.N8N_USER_FOLDER) {
	const folder = mkdtempSync(join(process.env.MAXAPI_TEST_TMP ?? tmpdir(), 'maxapi-n8n-'));
	process.env.N8N_USER_FOLDER = folder;
	if (!process.env.MAXAPI_TEST_TMP)
		process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL = 'silent';
