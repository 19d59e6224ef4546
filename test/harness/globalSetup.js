// One temporary folder for the whole jest run, holding each test file's N8N_USER_FOLDER (see env.ts);
// globalTeardown.js removes it.
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

module.exports = () => {
	process.env.MAXAPI_TEST_TMP = mkdtempSync(join(tmpdir(), 'maxapi-test-'));
};
