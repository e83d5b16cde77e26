import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { encodePng, readPng } from '../src/tokenizers/png-image.ts';

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  return () => text;
}

describe('describe, edit and inpaint from the command line', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('generates a trouser, describes it, edits it and inpaints it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    capture(process.stderr);
    const image = join(dir, 'trouser.png');
    expect(await main(['node', 'omnidecode', 'generate', 'a trouser', '-o', image, '--seed', '1'])).toBe(0);
    const stdout = capture(process.stdout);
    // The PNG was upscaled 4x on write: describe resizes it back.
    expect(await main(['node', 'omnidecode', 'describe', image])).toBe(0);
    expect(stdout()).toMatch(/trouser/);
    expect(await main(['node', 'omnidecode', 'edit', image, 'flip it', '-o', join(dir, 'flipped.png')])).toBe(0);
    expect((await readPng(join(dir, 'flipped.png'))).width).toBe(112);
    const mask = join(dir, 'mask.png');
    const pixels = new Float32Array(28 * 28);
    pixels.fill(1, 0, 28 * 14);
    writeFileSync(mask, encodePng({ width: 28, height: 28, pixels }));
    expect(await main(['node', 'omnidecode', 'inpaint', image, 'a trouser', '--mask', mask, '-o', join(dir, 'inpainted.png')])).toBe(0);
  });

  it('a file that is not a PNG is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    const fake = join(dir, 'photo.png');
    writeFileSync(fake, 'GIF89a not really');
    const stderr = capture(process.stderr);
    expect(await main(['node', 'omnidecode', 'describe', fake])).toBe(1);
    expect(stderr()).toMatch(/photo\.png.*not a PNG/);
  });

  it('a mask of another aspect ratio is rejected naming both sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    const image = join(dir, 'i.png');
    const mask = join(dir, 'm.png');
    writeFileSync(image, encodePng({ width: 28, height: 28, pixels: new Float32Array(784) }));
    writeFileSync(mask, encodePng({ width: 56, height: 28, pixels: new Float32Array(56 * 28) }));
    const stderr = capture(process.stderr);
    expect(await main(['node', 'omnidecode', 'inpaint', image, '--mask', mask, '-o', join(dir, 'o.png')])).toBe(1);
    expect(stderr()).toMatch(/56.*28/);
  });
});
