/** URL rules: MaxAPI fetches media and calls back over the internet, so it cannot reach this machine. */

export function isLocalHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		/^127\.\d+\.\d+\.\d+$/.test(host) ||
		host === '::1' ||
		host === '0.0.0.0' ||
		host === '::'
	);
}

/** Whether a URL points to this machine; false for anything that does not parse as a URL. */
export function isLocalUrl(url: string): boolean {
	try {
		return isLocalHost(new URL(url).hostname);
	} catch {
		return false;
	}
}

export function isHttpUrl(url: URL): boolean {
	return url.protocol === 'http:' || url.protocol === 'https:';
}
