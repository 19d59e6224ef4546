// This package as n8n gets it: built, packed with npm, and unpacked where n8n looks for community packages.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('./suite');

const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;

/** Builds and packs the project into `dir`; returns the tarball's path. */
function packPackage(dir) {
	execFileSync('npm', ['run', 'build', '--silent'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
		cwd: ROOT,
	})
		.toString()
		.trim()
		.split('\n')
		.pop();
	return path.join(dir, tarball);
}

/** Installs the packed package where n8n looks for community packages (packs it first if not given). */
function installPackage(
	userFolder,
	tarball = packPackage(fs.mkdtempSync(path.join(userFolder, 'pack-'))),
) {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	return target;
}

module.exports = { packPackage, installPackage };
