import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { readPng } from '../src/tokenizers/png-image.ts';

function captureStderr(): () => string {
  let text = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  return () => text;
}

describe('omnidecode generate', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('writes a PNG and a trace with one row per step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    const stderr = captureStderr();
    const code = await main(['node', 'omnidecode', 'generate', 'a dark sneaker', '-o', join(dir, 'out.png'), '--steps', '6', '--trace', join(dir, 'trace.png'), '--seed', '4', '--scale', '1']);
    expect(code, stderr()).toBe(0);
    const image = await readPng(join(dir, 'out.png'));
    expect([image.width, image.height]).toEqual([28, 28]);
    const trace = await readPng(join(dir, 'trace.png'));
    // 6 rows of 28 px plus 1 px gaps; two columns (guess | canvas).
    expect(trace.height).toBe(6 * 28 + 5);
    expect(trace.width).toBe(2 * 28 + 1);
    expect(stderr()).toMatch(/7 forward passes/);
  });

  it('refuses to overwrite an existing file without --force, leaving it untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    const path = join(dir, 'taken.png');
    writeFileSync(path, 'precious');
    const stderr = captureStderr();
    expect(await main(['node', 'omnidecode', 'generate', 'a bag', '-o', path, '--steps', '2'])).toBe(1);
    expect(stderr()).toMatch(/--force/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(await main(['node', 'omnidecode', 'generate', 'a bag', '-o', path, '--steps', '2', '--force'])).toBe(0);
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a grid for -n, and an unknown word is named with no output left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    captureStderr();
    expect(await main(['node', 'omnidecode', 'generate', 'a coat', '-n', '4', '--steps', '2', '-o', join(dir, 'grid.png'), '--scale', '1'])).toBe(0);
    const grid = await readPng(join(dir, 'grid.png'));
    expect(grid.width).toBe(2 * 28 + 2);
    const stderr = captureStderr();
    expect(await main(['node', 'omnidecode', 'generate', 'a purple giraffe', '-o', join(dir, 'bad.png')])).toBe(1);
    expect(stderr()).toMatch(/purple/);
    expect(existsSync(join(dir, 'bad.png'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('rejects a bad scheduler parameter naming the field, before any work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-cli-'));
    const stderr = captureStderr();
    expect(await main(['node', 'omnidecode', 'generate', 'a bag', '-o', join(dir, 'x.png'), '--guidance', '-1'])).toBe(1);
    expect(stderr()).toMatch(/guidance/);
    expect(await main(['node', 'omnidecode', 'generate', 'a bag', '-o', join(dir, 'x.png'), '--scheduler', 'nope'])).toBe(1);
    expect(stderr()).toMatch(/maskgit/);
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
  });
});
