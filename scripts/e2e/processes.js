// The processes a suite starts (n8n, PostgreSQL, Redis, `n8n execute` runs), each in its own process
// group so that n8n's task runners end with it, and the free 127.0.0.1 ports they listen on.
const net = require('node:net');

/** A port nothing listens on right now (the OS picks it). */
async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Signals a child's whole process group (it was spawned with detached: true). */
function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/**
 * Every process a suite starts, each in its own process group: stopAll() ends them (SIGKILL after 10 s),
 * and if the suite itself dies they are killed on its way out.
 */
class ChildProcesses {
	constructor() {
		this.running = new Map();
		process.on('exit', () => {
			for (const child of this.running.keys()) killGroup(child, 'SIGKILL');
		});
	}

	/** `child` must have been spawned with detached: true. */
	add(child, stopSignal = 'SIGTERM') {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		this.running.set(child, { stopSignal, exited });
		void exited.then(() => this.running.delete(child));
		return exited;
	}

	async stop(child, signal) {
		const entry = this.running.get(child);
		if (!entry) return;
		killGroup(child, signal ?? entry.stopSignal);
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
		await entry.exited;
		clearTimeout(timer);
	}

	async stopAll() {
		await Promise.all([...this.running.keys()].map(async (child) => await this.stop(child)));
	}
}

module.exports = { freePort, killGroup, ChildProcesses };
