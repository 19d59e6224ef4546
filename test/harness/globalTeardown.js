const { rmSync } = require('fs');

module.exports = () => rmSync(process.env.MAXAPI_TEST_TMP, { recursive: true, force: true });
