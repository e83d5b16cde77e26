import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { decodePng, readPng } from '../src/tokenizers/png-image.ts';
import { chunk, craftPng, ihdr, SIGNATURE } from './support/crafted-png.ts';

const folder = mkdtempSync(join(tmpdir(), 'png-rows-'));

describe('readPng image data', () => {
  it('refuses a header of 30000 rows with 10 rows of data, counting the rows, once maxPixels lets it past', async () => {
    const path = join(folder, 'bomb.png');
    writeFileSync(path, craftPng({ width: 30000, height: 30000 }, 10));
    const error: unknown = await readPng(path, { maxPixels: 900_000_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${path} is a damaged PNG file: its image data ends after 10 of 30,000 rows`);
  });

  it('refuses a small image missing its last rows, where pngjs would return zeros', () => {
    expect(() => decodePng(craftPng({ width: 100, height: 50 }, 49), { source: 'short.png' }))
      .toThrow('short.png is a damaged PNG file: its image data ends after 49 of 50 rows');
    expect(decodePng(craftPng({ width: 100, height: 50 }, 50)).pixels[100 * 50 - 1]).toBeCloseTo(128 / 255, 6);
  });

  it('refuses a cut-short compressed stream and a cut-short interlaced image in bytes', () => {
    const raw = Buffer.alloc(8 * (1 + 8));
    const cut = deflateSync(raw).subarray(0, 6);
    const png = Buffer.concat([SIGNATURE, ihdr({ width: 8, height: 8 }), chunk('IDAT', cut), chunk('IEND')]);
    expect(() => decodePng(png, { source: 'cut.png' })).toThrow(/^cut\.png is a damaged PNG file: its image data ends after [0-7] of 8 rows$/);
    // Adam7 on 8×8 gray: passes of 1×1, 1×1, 2×1, 2×2, 4×2, 4×4, 8×4 pixels, a filter byte per row: 79 bytes.
    const interlaced = (bytes: number): Buffer => Buffer.concat([
      SIGNATURE, ihdr({ width: 8, height: 8, interlace: 1 }), chunk('IDAT', deflateSync(Buffer.alloc(bytes))), chunk('IEND'),
    ]);
    expect(decodePng(interlaced(79)).pixels).toEqual(new Float32Array(64));
    expect(() => decodePng(interlaced(78), { source: 'adam7.png' }))
      .toThrow('adam7.png is a damaged PNG file: its image data ends after 78 of the 79 bytes its 8×8 interlaced pixels need');
  });
});
