// The one way the e2e scripts wait for something to become true: they poll, as n8n, MaxAPI's emulator
// and the services they start tell nothing when a state is reached.

/** Calls check() until it gives a truthy value; failFast() can end the wait early with its message. */
async function waitUntil(check, { timeoutMs, intervalMs = 250, what, failFast }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const value = await check();
			if (value) return value;
		} catch {
			// not yet
		}
		const reason = failFast?.();
		if (reason) throw new Error(reason);
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

module.exports = { waitUntil };
