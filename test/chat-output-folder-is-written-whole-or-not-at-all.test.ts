import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputFolder, writeFolderAtomic } from '../src/cli/output-folder.ts';
import { AbortError, InputError } from '../src/core/errors.ts';
import { thrown } from './support/thrown.ts';

const ours = (name: string): boolean => /^(chat\.md|image-\d+\.png)$/.test(name);

describe('an output folder is written whole or not at all', () => {
  it('appears with every file at once, leaving no temporary folder beside it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-folder-'));
    const dir = checkOutputFolder(join(parent, 'chat'), false, ours);
    writeFolderAtomic(dir, [{ name: 'chat.md', data: '# hi\n' }, { name: 'image-1.png', data: new Uint8Array([1, 2, 3]) }]);
    expect(readdirSync(dir).sort()).toEqual(['chat.md', 'image-1.png']);
    expect(readdirSync(parent)).toEqual(['chat']);
  });

  it('a file name with a folder in it is refused before anything is written', () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-folder-'));
    const dir = checkOutputFolder(join(parent, 'chat'), false, ours);
    for (const name of ['../escape.md', 'sub/chat.md', '..', '']) {
      const error = thrown(InputError, () => writeFolderAtomic(dir, [{ name: 'chat.md', data: 'x' }, { name, data: 'y' }]));
      expect(error.what).toBe('output file name');
    }
    expect(readdirSync(parent)).toEqual([]);
  });

  it('an existing folder is refused without force, and left as it was', () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-folder-'));
    const dir = join(parent, 'chat');
    mkdirSync(dir);
    writeFileSync(join(dir, 'chat.md'), 'old');
    const error = thrown(InputError, () => checkOutputFolder(dir, false, ours));
    expect(error.message).toBe(`${dir} already exists; pass --force to replace it`);
    expect(readFileSync(join(dir, 'chat.md'), 'utf8')).toBe('old');
  });

  it('force replaces a folder of its own outputs whole (stale images gone), but never one holding other files', () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-folder-'));
    const dir = join(parent, 'chat');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image-7.png'), 'stale');
    writeFolderAtomic(checkOutputFolder(dir, true, ours), [{ name: 'chat.md', data: 'new' }]);
    expect(readdirSync(dir)).toEqual(['chat.md']);
    expect(readdirSync(parent)).toEqual(['chat']);

    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const error = thrown(InputError, () => checkOutputFolder(dir, true, ours));
    expect(error.message).toContain('holds a file this command did not write ("notes.txt")');
    expect(readdirSync(dir).sort()).toEqual(['chat.md', 'notes.txt']);
  });

  it('an abort before the rename writes nothing and removes the temporary folder', () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-folder-'));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    expect(() => writeFolderAtomic(join(parent, 'chat'), [{ name: 'chat.md', data: 'x' }], controller.signal)).toThrow(AbortError);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a file that cannot be written leaves neither the folder nor its temporary', () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-folder-'));
    // A name with a folder in it cannot be created inside the temporary folder.
    expect(() => writeFolderAtomic(join(parent, 'chat'), [{ name: 'chat.md', data: 'x' }, { name: 'missing/image-1.png', data: 'y' }])).toThrow();
    expect(readdirSync(parent)).toEqual([]);
  });
});
