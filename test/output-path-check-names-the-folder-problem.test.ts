import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { checkOutputPath } from '../src/cli/output-file.ts';
import { writeFileAtomic } from '../src/tokenizers/png-image.ts';

function refusal(run: () => unknown): InputError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  return caught as InputError;
}

const isRoot = process.getuid?.() === 0;

describe('checkOutputPath', () => {
  it('says a missing folder does not exist, and a file used as a folder is not a folder', () => {
    const folder = mkdtempSync(join(tmpdir(), 'out-check-'));
    const missing = join(folder, 'missing', 'o.png');
    expect(refusal(() => checkOutputPath(missing, false)).message).toBe(`cannot write ${missing}: folder ${join(folder, 'missing')} does not exist`);
    writeFileSync(join(folder, 'file'), 'x');
    const underFile = join(folder, 'file', 'o.png');
    expect(refusal(() => checkOutputPath(underFile, false)).message).toBe(`cannot write ${underFile}: ${join(folder, 'file')} is not a folder`);
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('says /proc refuses new files instead of claiming it does not exist', () => {
    const error = refusal(() => checkOutputPath('/proc/o.png', false));
    expect(error.message).toMatch(/^cannot write \/proc\/o\.png: folder \/proc (does not accept new files|is not writable \(permission denied\))$/);
    expect(error.what).toBe('-o/--output');
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/self') && isRoot)('says the same when writeFileAtomic meets /proc', async () => {
    await expect(writeFileAtomic('/proc/o.png', 'x')).rejects.toThrow('cannot write /proc/o.png: folder /proc does not accept new files');
  });

  it.skipIf(isRoot || process.platform === 'win32')('says a read-only folder is not writable', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'out-check-')), 'locked');
    mkdirSync(folder, { mode: 0o555 });
    try {
      expect(refusal(() => checkOutputPath(join(folder, 'o.png'), false)).message)
        .toBe(`cannot write ${join(folder, 'o.png')}: folder ${folder} is not writable (permission denied)`);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  it('names the flag, refuses a folder as the output and an existing file without --force, and leaves no probe file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'out-check-'));
    mkdirSync(join(folder, 'dir.png'));
    expect(refusal(() => checkOutputPath(join(folder, 'dir.png'), true)).message).toBe(`cannot write ${join(folder, 'dir.png')}: it is a folder`);
    writeFileSync(join(folder, 'taken.png'), 'x');
    const taken = refusal(() => checkOutputPath(join(folder, 'taken.png'), false, '--trace'));
    expect(taken.message).toBe(`${join(folder, 'taken.png')} already exists; pass --force to replace it`);
    expect(taken.what).toBe('--trace');
    expect(checkOutputPath(join(folder, 'taken.png'), true)).toBe(join(folder, 'taken.png'));
    expect(checkOutputPath(join(folder, 'new.png'), false)).toBe(join(folder, 'new.png'));
    expect(readdirSync(folder).sort()).toEqual(['dir.png', 'taken.png']);
  });
});
