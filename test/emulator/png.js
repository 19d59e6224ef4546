'use strict';
// Minimal PNG encoder: 8-bit RGB, no interlace, one IDAT chunk.
// Enough to hand out small, valid images as emulated "generation results".
const zlib = require('node:zlib');

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// A PNG chunk is: length (4 bytes) | type (4) | data | CRC32 over type + data (4).
function chunk(type, data) {
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(zlib.crc32(typeAndData)); // zlib.crc32: Node >= 20.15, as package.json requires
	return Buffer.concat([length, typeAndData, crc]);
}

/** Returns a Buffer holding a width x height RGB PNG with a red/green gradient. */
function makePng(width = 64, height = 64) {
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
		throw new RangeError('makePng: width and height must be positive integers');
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // colour type: truecolour RGB
	// bytes 10-12 stay 0: deflate compression, adaptive filtering, no interlace

	const rowLength = 1 + width * 3; // each scanline starts with its filter type byte (0 = none)
	const pixels = Buffer.alloc(rowLength * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const offset = y * rowLength + 1 + x * 3;
			pixels[offset] = Math.round((x * 255) / Math.max(1, width - 1));
			pixels[offset + 1] = Math.round((y * 255) / Math.max(1, height - 1));
			pixels[offset + 2] = 128;
		}
	}

	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(pixels)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

module.exports = { makePng };
