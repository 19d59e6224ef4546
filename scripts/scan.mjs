#!/usr/bin/env node
// n8n's official scanner (@n8n/scan-community-package, pinned in devDependencies), its lint part run
// here: the same ESLint configuration (buildScanConfig), options and file patterns as its two legs, on
// the source (package.json and nodes/, credentials/) and on the packed tarball (its **/*.js and
// package.json). It fails on any finding, warnings included (the scanner itself fails on errors only).
// The rest of the scanner needs a published version (npm provenance, the attested GitHub commit).
//
// Why the pins: the scanner depends on typescript 7.0.2, whose package has no compiler API, so the
// @typescript-eslint/parser it uses cannot run on it. npm nests 7.0.2 under the scanner and leaves our
// own typescript (5.8.3, in the parser's supported range) at the top, where the parser finds it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

// ESLint and fast-glob as the scanner itself resolves them.
const scannerRequire = createRequire(
	createRequire(import.meta.url).resolve('@n8n/scan-community-package/package.json'),
);
const { ESLint } = scannerRequire('eslint');
const glob = scannerRequire('fast-glob');

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** The scanner's analyzePackage, reporting every finding. */
async function lintLeg(name, dir, patterns) {
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	if (files.length === 0) {
		console.error(`n8n scanner, ${name}: no files to check in ${dir}`);
		return false;
	}
	const results = await eslint.lintFiles(files);
	const findings = results.reduce(
		(sum, result) => sum + result.errorCount + result.warningCount,
		0,
	);
	if (findings > 0) {
		console.error((await eslint.loadFormatter('stylish')).format(results));
	}
	console.log(`n8n scanner, ${name}: ${files.length} files, ${findings} findings`);
	return findings === 0;
}

/** Packs the package as npm would publish it and extracts it; builds first if dist/ is missing. */
function packedPackage(workDir) {
	if (!fs.existsSync(path.join(ROOT, 'dist'))) {
		execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
	}
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir], {
		cwd: ROOT,
	})
		.toString()
		.trim()
		.split('\n')
		.pop();
	const extracted = path.join(workDir, 'package');
	fs.mkdirSync(extracted);
	execFileSync('tar', [
		'-xzf',
		path.join(workDir, tarball),
		'-C',
		extracted,
		'--strip-components=1',
	]);
	return extracted;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maxapi-scan-'));
try {
	const source = await lintLeg('source', ROOT, SOURCE_FILE_PATTERNS);
	const tarball = await lintLeg('tarball', packedPackage(workDir), TARBALL_FILE_PATTERNS);
	process.exitCode = source && tarball ? 0 : 1;
} finally {
	fs.rmSync(workDir, { recursive: true, force: true });
}
