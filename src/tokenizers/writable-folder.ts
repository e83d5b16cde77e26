import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, openSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors.ts';

/**
 * Says why a file could not be created in `folder`, from the error creating it. ENOENT alone is
 * ambiguous: /proc exists yet refuses new files with ENOENT, so the folder is looked at again.
 */
export function folderRefusal(path: string, error: unknown, what = 'output path'): InputError {
  const folder = dirname(path);
  const code = (error as NodeJS.ErrnoException).code;
  let reason: string;
  if (code === 'ENOENT') reason = isFolder(folder) ? `folder ${folder} does not accept new files` : `folder ${folder} does not exist`;
  else if (code === 'ENOTDIR') reason = `${folder} is not a folder`;
  else if (code === 'EACCES' || code === 'EPERM') reason = `folder ${folder} is not writable (permission denied)`;
  else if (code === 'EROFS') reason = `folder ${folder} is on a read-only file system`;
  else if (code === 'ENOSPC' || code === 'EDQUOT') reason = `no space left in folder ${folder}`;
  else reason = (error as Error).message;
  const refusal = new InputError(what, path, 'a path in an existing, writable folder', `cannot write ${path}: ${reason}`);
  refusal.cause = error;
  return refusal;
}

/**
 * Checks, before any work, that a file could be created at `path`: its folder exists, is a folder,
 * passes access(W_OK), and really takes a new file. The last step matters: root passes access()
 * on read-only file systems and on /proc, where only an actual create fails.
 */
export function checkWritableFolder(path: string, what = 'output path'): void {
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw folderRefusal(path, error, what);
  }
  const probe = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.probe`);
  let descriptor: number;
  try {
    descriptor = openSync(probe, 'wx');
  } catch (error) {
    throw folderRefusal(path, error, what);
  }
  closeSync(descriptor);
  try { unlinkSync(probe); } catch { /* best effort: a leftover empty probe harms nothing */ }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
