import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AbortError, InputError } from '../core/errors.ts';
import { folderRefusal } from './writable-folder.ts';

export interface WriteFileOptions {
  /** Replace an existing file (the CLI's --force). */
  readonly overwrite?: boolean;
  /** If it fires before the file is in place, nothing is written. */
  readonly signal?: AbortSignal;
}

/** Temporary files being written now; a signal handler removes them, as no `finally` runs on SIGTERM. */
const liveTemporaries = new Set<string>();

/**
 * Removes every temporary file a writeFileAtomic in progress has created, synchronously and best
 * effort, for a SIGTERM/SIGINT handler that is about to exit. The writes it cuts off then fail
 * with an AbortError and leave nothing at their target.
 */
export function removeLiveTemporaries(): void {
  for (const temporary of liveTemporaries) {
    try { unlinkSync(temporary); } catch { /* already gone, or never created */ }
  }
  liveTemporaries.clear();
}

/**
 * Writes a file so that readers only ever see nothing or the whole file: the data goes to a hidden
 * temporary file in the same folder (same filesystem, so the final step is an atomic rename/link),
 * which is removed on any error or abort. Refuses to replace an existing file unless asked to.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): Promise<void> {
  const overwrite = options.overwrite === true;
  if (!overwrite && await exists(path)) throw alreadyExists(path);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // Registered before it exists, so a signal arriving while open() runs still finds it.
  liveTemporaries.add(temporary);
  try {
    let handle;
    try {
      handle = await open(temporary, 'wx');
    } catch (error) {
      throw folderRefusal(path, error);
    }
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.signal?.aborted === true) throw new AbortError(options.signal.reason);
    if (!liveTemporaries.has(temporary)) throw interrupted(path);
    await putInPlace(temporary, path, overwrite);
  } finally {
    liveTemporaries.delete(temporary);
    await unlink(temporary).catch(() => undefined);
  }
}

async function putInPlace(temporary: string, path: string, overwrite: boolean): Promise<void> {
  try {
    if (overwrite) {
      await rename(temporary, path);
      return;
    }
    // link() fails if the target exists, so a file created since the check above is never clobbered.
    try {
      await link(temporary, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw alreadyExists(path);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
      // Filesystems without hard links: best effort, re-check then rename.
      if (await exists(path)) throw alreadyExists(path);
      await rename(temporary, path);
    }
  } catch (error) {
    // removeLiveTemporaries took the file away under us: the process is being stopped.
    if (!liveTemporaries.has(temporary) && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw interrupted(path);
    }
    throw error;
  }
}

function interrupted(path: string): AbortError {
  return new AbortError(new Error(`the write of ${path} was interrupted (its temporary file was removed)`));
}

function alreadyExists(path: string): InputError {
  return new InputError('output path', path, 'a path that does not exist yet, or overwrite: true',
    `${path} already exists; pass --force (overwrite: true) to replace it`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
