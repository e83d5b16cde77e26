import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { DEFAULT_MAX_PNG_PIXELS, decodePng, readPng } from '../src/tokenizers/png-image.ts';
import { craftPng } from './support/crafted-png.ts';

const folder = mkdtempSync(join(tmpdir(), 'png-bomb-'));

async function rejection(promise: Promise<unknown>): Promise<InputError> {
  const error: unknown = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('readPng pixel limit', () => {
  it('refuses a tiny file whose header claims 30000×30000, from the header alone', async () => {
    const path = join(folder, 'bomb.png');
    writeFileSync(path, craftPng({ width: 30000, height: 30000 }, 10));
    expect(statSync(path).size).toBeLessThan(1000);
    const before = process.memoryUsage().arrayBuffers;
    const error = await rejection(readPng(path));
    expect(error.message).toBe(`${path}: 30000×30000 pixels is over the limit of 16,777,216 pixels (pass maxPixels (--max-pixels on the command line) to raise it)`);
    expect(error.got).toBe(path);
    // Refused before anything of the claimed size (3.6 GB as RGBA) was allocated.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('documents the default as 16 megapixels and lets maxPixels lower or raise it', async () => {
    expect(DEFAULT_MAX_PNG_PIXELS).toBe(16_777_216);
    const path = join(folder, 'small.png');
    writeFileSync(path, craftPng({ width: 64, height: 64 }, 64));
    expect((await rejection(readPng(path, { maxPixels: 4000 }))).message)
      .toBe(`${path}: 64×64 pixels is over the limit of 4,000 pixels (pass maxPixels (--max-pixels on the command line) to raise it)`);
    expect((await readPng(path, { maxPixels: 4096 })).width).toBe(64);
    const wide = craftPng({ width: 5000, height: 4000 }, 4000);
    expect(() => decodePng(wide)).toThrow('PNG data: 5000×4000 pixels is over the limit of 16,777,216 pixels');
    expect(decodePng(wide, { maxPixels: 20_000_000 }).pixels.length).toBe(20_000_000);
  });

  it('refuses a maxPixels that is not a positive integer, naming the option', () => {
    const png = craftPng({ width: 2, height: 2 }, 2);
    expect(() => decodePng(png, { maxPixels: 0 })).toThrow(/^maxPixels: got 0, expected an integer in \[1, /);
    expect(() => decodePng(png, { maxPixels: 1.5 })).toThrow(/^maxPixels: got 1.5, /);
  });
});
