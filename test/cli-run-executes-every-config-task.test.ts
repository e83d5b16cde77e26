import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { readPng } from '../src/tokenizers/png-image.ts';

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  return () => text;
}

const dir = mkdtempSync(join(tmpdir(), 'omni-run-'));
const cli = (...args: string[]): Promise<number> => main(['node', 'omnidecode', ...args]);

function config(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  capture(process.stderr);
  // The source image for the image-in tasks, itself made by `run` from a YAML config (relative paths: the config's folder).
  const file = config('generate.yaml', 'seed: 3\nschedulers:\n  image: { name: maskgit, steps: 4 }\ntask: { type: text-to-image, prompt: an ankle boot, output: boot.png }\n');
  expect(await cli('run', file)).toBe(0);
  vi.restoreAllMocks();
});
afterEach(() => { vi.restoreAllMocks(); });

describe('omnidecode run CONFIG runs every kind of task', () => {
  it('text-to-image wrote the PNG the config named, next to the config', async () => {
    expect((await readPng(join(dir, 'boot.png'))).width).toBeGreaterThan(0);
  });

  it('describe prints the answer', async () => {
    const out = capture(process.stdout);
    capture(process.stderr);
    expect(await cli('run', config('describe.json', JSON.stringify({ task: { type: 'describe', image: 'boot.png' } })))).toBe(0);
    expect(out().trim()).toMatch(/boot/);
  });

  it('edit, inpaint and outpaint write their outputs', async () => {
    capture(process.stderr);
    writeFileSync(join(dir, 'mask.png'), readFileSync(join(dir, 'boot.png')));
    const tasks = [
      { type: 'edit', image: 'boot.png', instruction: 'make it darker', output: 'edited.png' },
      { type: 'inpaint', image: 'boot.png', mask: 'mask.png', prompt: 'an ankle boot', output: 'inpainted.png' },
      { type: 'outpaint', image: 'boot.png', left: 2, prompt: 'an ankle boot', output: 'outpainted.png' },
    ];
    for (const task of tasks) {
      expect(await cli('run', config(`${task.type}.yaml`, JSON.stringify({ seed: 1, task })))).toBe(0);
      expect(existsSync(join(dir, task.output))).toBe(true);
    }
  });

  it('flags override the file: -o replaces task.output', async () => {
    capture(process.stderr);
    const file = config('override.yaml', 'task: { type: text-to-image, prompt: a bag, output: from-file.png }\nschedulers:\n  image: { name: maskgit, steps: 2 }\n');
    expect(await cli('run', file, '-o', join(dir, 'from-flag.png'))).toBe(0);
    expect(existsSync(join(dir, 'from-flag.png'))).toBe(true);
    expect(existsSync(join(dir, 'from-file.png'))).toBe(false);
  });

  it('a command reads its own kind of task from --config, arguments overriding it', async () => {
    const out = capture(process.stdout);
    capture(process.stderr);
    const file = config('describe-task.yaml', 'task: { type: describe, image: missing.png, maxTokens: 8 }\n');
    expect(await cli('describe', join(dir, 'boot.png'), '--config', file)).toBe(0);
    expect(out().trim().length).toBeGreaterThan(0);
  });

  it('a config without a task says how to add one', async () => {
    const err = capture(process.stderr);
    expect(await cli('run', config('no-task.yaml', 'seed: 1\n'))).toBe(1);
    expect(err()).toContain('has no task: add e.g. task: { type: text-to-image');
  });
});
