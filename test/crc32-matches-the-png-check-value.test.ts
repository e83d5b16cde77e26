import { describe, expect, it } from 'vitest';
import { encodePng } from '../src/tokenizers/png-image.ts';
import { crc32 } from '../src/tokenizers/crc32.ts';

describe('crc32', () => {
  it('gives the standard check value and agrees with the CRCs pngjs writes', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const png = encodePng({ width: 3, height: 2, pixels: Float32Array.from([0, 0.2, 0.4, 0.6, 0.8, 1]) });
    // IHDR: length at 8, type + data at 12..29, CRC at 29.
    expect(crc32(png.subarray(12, 29))).toBe(png.readUInt32BE(29));
  });
});
