import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { checkDistinctOutputs } from '../src/cli/output-file.ts';

describe('checkDistinctOutputs', () => {
  it('refuses --trace X -o X, naming both flags and the file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'outputs-'));
    const path = join(folder, 'x.png');
    let caught: unknown;
    try {
      checkDistinctOutputs([{ flag: '-o/--output', path }, { flag: '--trace', path: relative(process.cwd(), path) }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toBe(`-o/--output and --trace both name ${path}; give each its own file`);
  });

  it('sees through a symlinked folder and a hard link, and accepts different files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'outputs-'));
    mkdirSync(join(folder, 'real'));
    symlinkSync(join(folder, 'real'), join(folder, 'alias'));
    expect(() => checkDistinctOutputs([{ flag: '-o', path: join(folder, 'real', 'x.png') }, { flag: '--trace', path: join(folder, 'alias', 'x.png') }]))
      .toThrow(/^-o and --trace both name /);
    writeFileSync(join(folder, 'a.png'), 'a');
    linkSync(join(folder, 'a.png'), join(folder, 'b.png'));
    expect(() => checkDistinctOutputs([{ flag: '-o', path: join(folder, 'a.png') }, { flag: '--trace', path: join(folder, 'b.png') }]))
      .toThrow(`-o and --trace both name ${join(folder, 'b.png')}`);
    expect(() => checkDistinctOutputs([{ flag: '-o', path: join(folder, 'a.png') }, { flag: '--trace', path: join(folder, 'c.png') }])).not.toThrow();
  });
});
