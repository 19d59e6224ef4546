/** URL rules (pure). */
import { isHttpUrl, isLocalHost, isLocalUrl } from '../../nodes/shared/urls';

describe('urls', () => {
	test.each([
		'localhost',
		'LOCALHOST',
		'app.localhost',
		'127.0.0.1',
		'127.8.9.10',
		'[::1]',
		'::1',
		'0.0.0.0',
		'::',
	])('%s is this machine', (host) => expect(isLocalHost(host)).toBe(true));

	test.each(['example.com', 'localhost.example.com', '128.0.0.1', '10.0.0.1', '127.0.0', '::2'])(
		'%s is not this machine',
		(host) => expect(isLocalHost(host)).toBe(false),
	);

	test('a URL is local by its host; what does not parse is not', () => {
		expect(isLocalUrl('http://127.0.0.1:5678/webhook-waiting/1')).toBe(true);
		expect(isLocalUrl('https://n8n.example.com/webhook-waiting/1')).toBe(false);
		expect(isLocalUrl('not a url')).toBe(false);
	});

	test('only http and https are web URLs', () => {
		expect(isHttpUrl(new URL('http://a.b'))).toBe(true);
		expect(isHttpUrl(new URL('https://a.b'))).toBe(true);
		expect(isHttpUrl(new URL('ftp://a.b'))).toBe(false);
	});
});
