import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { DEFAULT_MAX_PNG_FILE_BYTES, decodePng, readPng } from '../src/tokenizers/png-image.ts';
import { craftPng } from './support/crafted-png.ts';

const folder = mkdtempSync(join(tmpdir(), 'png-size-'));

describe('readPng file size limit', () => {
  it('refuses a file over maxFileBytes from its size, naming the file and the option', async () => {
    expect(DEFAULT_MAX_PNG_FILE_BYTES).toBe(128 * 1024 * 1024);
    const path = join(folder, 'big.png');
    const png = craftPng({ width: 64, height: 64 }, 64);
    writeFileSync(path, png);
    const error: unknown = await readPng(path, { maxFileBytes: 40 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message)
      .toBe(`${path}: the file (${png.length} bytes) is over the limit of 40 bytes (pass maxFileBytes to raise it)`);
    expect((await readPng(path, { maxFileBytes: png.length })).height).toBe(64);
    expect(() => decodePng(png, { maxFileBytes: 40 })).toThrow(`PNG data: ${png.length} bytes is over the limit of 40 bytes`);
  });

  it.runIf(existsSync('/dev/zero'))('stops reading an endless stream at the limit instead of at its end', async () => {
    await expect(readPng('/dev/zero', { maxFileBytes: 1_000_000 }))
      .rejects.toThrow('/dev/zero: the file (more than 1,000,000 bytes) is over the limit of 1,000,000 bytes (pass maxFileBytes to raise it)');
  });

  it('names a folder given as an image', async () => {
    await expect(readPng(folder)).rejects.toThrow(`${folder} is a folder, not a PNG file`);
  });
});
