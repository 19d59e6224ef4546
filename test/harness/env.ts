// Runs before any test file imports n8n-core: n8n-core builds its InstanceSettings under N8N_USER_FOLDER.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Inside the run's temporary folder (globalSetup.js), which is removed when jest ends.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(process.env.MAXAPI_TEST_TMP ?? tmpdir(), 'maxapi-n8n-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL = 'silent';
