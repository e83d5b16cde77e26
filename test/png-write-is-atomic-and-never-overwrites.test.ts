import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortError, InputError } from '../src/core/errors.ts';
import { writeFileAtomic } from '../src/tokenizers/png-image.ts';

const newFolder = (): string => mkdtempSync(join(tmpdir(), 'png-write-'));

describe('writeFileAtomic', () => {
  it('writes the whole file and leaves no temporary file behind', async () => {
    const folder = newFolder();
    await writeFileAtomic(join(folder, 'out.png'), Buffer.from([1, 2, 3]));
    expect([...readFileSync(join(folder, 'out.png'))]).toEqual([1, 2, 3]);
    expect(readdirSync(folder)).toEqual(['out.png']);
  });

  it('refuses to overwrite an existing file, naming it and --force, and leaves it untouched', async () => {
    const folder = newFolder();
    const path = join(folder, 'out.png');
    writeFileSync(path, 'old');
    const error: unknown = await writeFileAtomic(path, 'new').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${path} already exists; pass --force (overwrite: true) to replace it`);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(folder)).toEqual(['out.png']);
  });

  it('replaces the file with overwrite: true', async () => {
    const folder = newFolder();
    const path = join(folder, 'out.png');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new', { overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(folder)).toEqual(['out.png']);
  });

  it('writes nothing when aborted and cleans up its temporary file', async () => {
    const folder = newFolder();
    const controller = new AbortController();
    controller.abort('user pressed Ctrl-C');
    const error: unknown = await writeFileAtomic(join(folder, 'out.png'), 'data', { signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortError);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('fails cleanly, naming the folder, when the folder does not exist', async () => {
    const folder = newFolder();
    const path = join(folder, 'missing', 'out.png');
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow(`cannot write ${path}: folder ${join(folder, 'missing')} does not exist`);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('lets exactly one of two concurrent writers create the file', async () => {
    const folder = newFolder();
    const path = join(folder, 'out.png');
    const results = await Promise.allSettled([writeFileAtomic(path, 'first'), writeFileAtomic(path, 'second')]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = results[0]?.status === 'fulfilled' ? 'first' : 'second';
    expect(readFileSync(path, 'utf8')).toBe(winner);
    expect(readdirSync(folder)).toEqual(['out.png']);
  });
});
