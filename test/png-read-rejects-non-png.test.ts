import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { encodePng, readPng } from '../src/tokenizers/png-image.ts';

const folder = mkdtempSync(join(tmpdir(), 'png-read-'));

async function rejection(path: string): Promise<InputError> {
  const error: unknown = await readPng(path).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('readPng', () => {
  it('rejects a JPEG, naming the file and saying it is not a PNG', async () => {
    const path = join(folder, 'photo.png');
    writeFileSync(path, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]));
    const error = await rejection(path);
    expect(error.message).toBe(`${path} is not a PNG file (it does not start with the PNG signature; it looks like a JPEG); convert it to PNG first`);
    expect(error.got).toBe(path);
  });

  it('rejects a text file, an empty file, a truncated PNG and a missing file', async () => {
    const text = join(folder, 'notes.txt');
    writeFileSync(text, 'hello');
    expect((await rejection(text)).message).toContain(`${text} is not a PNG file`);
    const empty = join(folder, 'empty.png');
    writeFileSync(empty, '');
    expect((await rejection(empty)).message).toContain('the file is empty');
    const truncated = join(folder, 'truncated.png');
    writeFileSync(truncated, encodePng({ width: 4, height: 4, pixels: new Float32Array(16) }).subarray(0, 30));
    expect((await rejection(truncated)).message).toContain(`${truncated} is a damaged PNG file`);
    expect((await rejection(join(folder, 'missing.png'))).message).toBe(`image file ${join(folder, 'missing.png')} does not exist`);
  });

  it('reads gray PNGs exactly and converts RGBA to luma composited on black', async () => {
    const gray = join(folder, 'gray.png');
    writeFileSync(gray, encodePng({ width: 2, height: 1, pixels: Float32Array.from([0, 1]) }));
    expect(await readPng(gray)).toEqual({ width: 2, height: 1, pixels: Float32Array.from([0, 1]) });

    const png = new PNG({ width: 3, height: 1 });
    png.data.set([255, 0, 0, 255, /* red */ 255, 255, 255, 0, /* transparent white */ 0, 0, 255, 51 /* blue, 20% */]);
    const rgba = join(folder, 'rgba.png');
    writeFileSync(rgba, PNG.sync.write(png, { colorType: 6 }));
    const read = await readPng(rgba);
    expect(read.width).toBe(3);
    expect(read.pixels[0]).toBeCloseTo(0.299, 6);
    expect(read.pixels[1]).toBe(0);
    expect(read.pixels[2]).toBeCloseTo(0.114 * 0.2, 6);
  });
});
