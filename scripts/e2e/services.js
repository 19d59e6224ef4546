// The services n8n's queue mode needs, started by the suite itself on free 127.0.0.1 ports and thrown away
// afterwards: a PostgreSQL cluster and a Redis server, from Debian's packages (installed here if missing).
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('./processes');
const { log } = require('./suite');
const { waitUntil } = require('./waitUntil');

const POSTGRES_ROOT = '/usr/lib/postgresql';

function postgresBinDir() {
	if (!fs.existsSync(POSTGRES_ROOT)) return null;
	const versions = fs
		.readdirSync(POSTGRES_ROOT)
		.filter((version) => fs.existsSync(path.join(POSTGRES_ROOT, version, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(POSTGRES_ROOT, versions[0], 'bin') : null;
}

const redisServer = () =>
	['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));

/**
 * Installs Debian's postgresql and redis-server when they are missing (root only). The packages would
 * start system-wide servers of their own; a policy-rc.d that says no keeps them from it.
 */
function ensureDebianPackages() {
	const missing = [!postgresBinDir() && 'postgresql', !redisServer() && 'redis-server'].filter(
		Boolean,
	);
	if (missing.length === 0) return;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`The queue-mode suite needs ${missing.join(' and ')}: run "sudo apt-get install -y ${missing.join(' ')}" first`,
		);
	}
	log(`[e2e queue] installing ${missing.join(', ')} from Debian's packages (about a minute)…`);
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const quiet = { env, stdio: ['ignore', 'ignore', 'inherit'] };
		execFileSync('apt-get', ['update', '-qq'], quiet);
		execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], quiet);
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
}

/** A throw-away PostgreSQL cluster (trust auth, user postgres, database n8n) in a temporary folder. */
class Postgres {
	constructor(children) {
		this.children = children;
		this.database = 'n8n';
		this.user = 'postgres';
	}

	async start() {
		const bin = postgresBinDir();
		this.port = await freePort();
		this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maxapi-pg-'));
		const data = path.join(this.dir, 'data');
		// initdb and postgres refuse to run as root: run them as the postgres user Debian's package created.
		const asUser = {};
		if (process.getuid?.() === 0) {
			asUser.uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
			asUser.gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
			fs.chownSync(this.dir, asUser.uid, asUser.gid);
		}
		const env = { ...process.env, HOME: this.dir, LC_ALL: 'C' };
		execFileSync(
			path.join(bin, 'initdb'),
			['-A', 'trust', '-U', this.user, '-D', data, '--no-sync'],
			{
				...asUser,
				env,
				stdio: ['ignore', 'ignore', 'inherit'],
			},
		);
		const logFile = fs.openSync(path.join(this.dir, 'postgres.log'), 'a');
		const server = spawn(
			path.join(bin, 'postgres'),
			[
				'-D',
				data,
				'-p',
				String(this.port),
				'-k',
				data,
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				'fsync=off',
				'-c',
				'max_connections=200',
			],
			{ ...asUser, env, stdio: ['ignore', logFile, logFile], detached: true },
		);
		this.children.add(server, 'SIGINT'); // SIGINT: PostgreSQL's fast shutdown
		await waitUntil(
			async () => {
				execFileSync(path.join(bin, 'pg_isready'), [
					'-q',
					'-h',
					'127.0.0.1',
					'-p',
					String(this.port),
				]);
				return true;
			},
			{ timeoutMs: 30_000, what: 'PostgreSQL to accept connections' },
		);
		execFileSync(
			path.join(bin, 'createdb'),
			['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, this.database],
			{ env },
		);
	}

	/** Runs one SQL statement and returns its rows as arrays of text. */
	query(sql) {
		const output = execFileSync(
			path.join(postgresBinDir(), 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(this.port),
				'-U',
				this.user,
				'-d',
				this.database,
				'-At',
				'-F',
				'\t',
				'-c',
				sql,
			],
			{ env: { ...process.env, LC_ALL: 'C' } },
		).toString();
		return output
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	}

	remove() {
		if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/** A Redis server that keeps nothing on disk. */
class Redis {
	constructor(children) {
		this.children = children;
	}

	async start() {
		this.port = await freePort();
		const server = spawn(
			redisServer(),
			['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
			{
				stdio: 'ignore',
				detached: true,
			},
		);
		this.children.add(server, 'SIGTERM');
		await waitUntil(
			async () =>
				await new Promise((resolve) => {
					const socket = require('node:net').connect(this.port, '127.0.0.1', () => {
						socket.end();
						resolve(true);
					});
					socket.on('error', () => resolve(false));
				}),
			{ timeoutMs: 15_000, what: 'Redis to accept connections' },
		);
	}
}

module.exports = { ensureDebianPackages, Postgres, Redis };
