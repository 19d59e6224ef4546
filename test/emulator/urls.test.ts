/**
 * The emulator (plain JavaScript, no build) keeps its own copy of two URL rules the node has in
 * nodes/shared: which extension is which media kind, and what counts as this machine. They must agree.
 */
import { mediaKindOf } from '../../nodes/shared/models/media';
import { isLocalHost } from '../../nodes/shared/urls';

const emulatorModels = require('./models') as {
	mediaKind(url: string): string | null;
	isLocalHost(hostname: string): boolean;
};

describe('the emulator and the node agree on URL rules', () => {
	test.each([
		'https://cdn.example.com/a.png',
		'https://cdn.example.com/a.JPG',
		'https://cdn.example.com/a.jpeg?x=1',
		'https://cdn.example.com/a.webp',
		'https://cdn.example.com/a.gif',
		'https://cdn.example.com/a.bmp',
		'https://cdn.example.com/clip.mp4',
		'https://cdn.example.com/clip.mov',
		'https://cdn.example.com/clip.m4v',
		'https://cdn.example.com/voice.mp3',
		'https://cdn.example.com/voice.wav',
		'https://cdn.example.com/no-extension',
		'https://cdn.example.com/a.tiff',
	])('media kind of %s', (url) => {
		expect(emulatorModels.mediaKind(url) ?? undefined).toBe(mediaKindOf(url));
	});

	// Hosts MaxAPI itself refuses as callback targets; the node also counts a few more (e.g. *.localhost).
	test.each([
		'localhost',
		'127.0.0.1',
		'127.8.9.10',
		'[::1]',
		'0.0.0.0',
		'example.com',
		'10.0.0.1',
	])('%s is local to both, or to neither', (host) => {
		expect(emulatorModels.isLocalHost(host)).toBe(isLocalHost(host));
	});
});
