import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AbortError, InputError } from '../core/errors.ts';
import { folderRefusal, checkWritableFolder } from '../tokenizers/writable-folder.ts';

/** One file of an output folder: a plain name (no folders) and its bytes or text. */
export interface FolderFile {
  readonly name: string;
  readonly data: Uint8Array | string;
}

/**
 * Checks an output folder before any work: its parent takes new entries, and an existing folder is
 * refused unless `force` — and even then only when everything in it is a file `owned` says this
 * command writes, so `--force` never deletes a user's other files (e.g. `-o . --force`).
 */
export function checkOutputFolder(path: string, force: boolean, owned: (name: string) => boolean, flag = '-o/--output'): string {
  if (typeof path !== 'string' || path.trim() === '') throw new InputError(flag, path, 'an output folder path');
  const dir = resolve(path);
  checkWritableFolder(dir, flag);
  if (!existsSync(dir)) return dir;
  if (!statSync(dir).isDirectory()) throw new InputError(flag, dir, 'a folder', `${dir} exists and is not a folder`);
  if (!force) {
    throw new InputError(flag, dir, 'a folder that does not exist yet (or pass --force to replace it)', `${dir} already exists; pass --force to replace it`);
  }
  const foreign = readdirSync(dir).filter((name) => !owned(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((name) => `"${name}"`).join(', ');
    throw new InputError(flag, dir, 'a folder holding only what this command writes',
      `${dir} holds ${foreign.length === 1 ? 'a file' : 'files'} this command did not write (${shown}${foreign.length > 3 ? `, and ${foreign.length - 3} more` : ''}); `
      + '--force replaces only a folder of its own outputs: choose another folder');
  }
  return dir;
}

/**
 * Writes every file into a hidden temporary folder beside `dir`, then renames it into place, so a
 * reader sees the old folder or the whole new one, never part of it; on any error or abort the
 * temporary folder is removed and `dir` is as it was. An existing `dir` (checked by
 * checkOutputFolder) is moved aside first and removed once the new one is in place.
 */
export function writeFolderAtomic(dir: string, files: readonly FolderFile[], signal?: AbortSignal): void {
  // A name with a folder in it would land outside the temporary folder and outlive a failed write.
  for (const file of files) {
    if (file.name === '' || file.name === '.' || file.name === '..' || file.name !== basename(file.name) || file.name.includes('\\')) {
      throw new InputError('output file name', file.name, 'a plain file name (no folders)');
    }
  }
  const tag = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const temporary = join(dirname(dir), `.${basename(dir)}.${tag}.tmp`);
  const previous = join(dirname(dir), `.${basename(dir)}.${tag}.old`);
  try {
    try {
      mkdirSync(temporary);
    } catch (error) {
      throw folderRefusal(dir, error);
    }
    for (const file of files) writeFileSync(join(temporary, file.name), file.data);
    if (signal?.aborted === true) throw new AbortError(signal.reason);
    const replacing = existsSync(dir);
    if (replacing) renameSync(dir, previous);
    try {
      renameSync(temporary, dir);
    } catch (error) {
      if (replacing) renameSync(previous, dir);
      throw error;
    }
    if (replacing) rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
