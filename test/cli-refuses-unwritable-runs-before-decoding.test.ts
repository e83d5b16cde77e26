import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  return () => text;
}

const dir = mkdtempSync(join(tmpdir(), 'omni-refuse-'));
const out = join(dir, 'out.png');
const cases: [string, string[], string][] = [
  ['a grid too large to encode', ['-n', '1157', '--scale', '32'], '-n/--count and --scale: 1157 image(s) at scale 32 make a'],
  ['more images than a run takes', ['-n', '100000'], '-n/--count 100000 is over the limit of 4096 images per run'],
  ['a non-integer batch size', ['--batch-size', 'abc'], '--batch-size: got "abc", expected an integer from 1 to 1024'],
  ['a zero batch size', ['--batch-size', '0'], '--batch-size: got "0", expected an integer from 1 to 1024'],
  ['the trace and the output at one path', ['--trace', out], 'both name'],
  ['a folder that takes no files', ['-o', '/proc/o.png'], 'folder /proc does not accept new files'],
  ['a seed that is no integer', ['--seed', 'abc'], '--seed: got "abc", expected an integer in [0, 4294967296)'],
  ['a prototype key', ['--set', '__proto__={"steps":1}'], '"__proto__" is not allowed as a key'],
];

describe('generate refuses what it could not finish, before decoding', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  it.each(cases)('%s', async (_name, args, message) => {
    const err = capture(process.stderr);
    const started = Date.now();
    const outputIndex = args.indexOf('-o');
    expect(await main(['node', 'omnidecode', 'generate', 'a bag', ...(outputIndex === -1 ? ['-o', out] : []), ...args])).toBe(1);
    expect(err()).toContain(message);
    expect(existsSync(out)).toBe(false);
    // Refused up front: no decoding ran (a 1157-image run takes minutes).
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('generate refuses steps past the image token count', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  it('--steps 100 on a 49-token image names steps and the limit', async () => {
    const err = capture(process.stderr);
    expect(await main(['node', 'omnidecode', 'generate', 'a bag', '-o', out, '--steps', '100'])).toBe(1);
    expect(err()).toContain('steps 100 > 49 image tokens to fill: a step past the token count commits nothing; use at most 49');
  });
});
