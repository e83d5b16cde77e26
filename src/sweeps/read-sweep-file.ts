import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { parseSweepFile, type SweepFile } from './sweep-file.ts';
import { SWEEP_LIMITS } from './sweep-limits.ts';

/** A ConfigError about a field of `file`, its message prefixed with the file (the field path unchanged). */
export function inFile(file: string, error: ConfigError): ConfigError {
  return new ConfigError(error.what, error.got, error.expected, `${file}: ${error.message}`);
}

/**
 * Reads a sweep file (.yaml, .yml or .json) and validates its structure; relative paths in it
 * resolve against its folder. Errors name the file and the path in it.
 */
export async function readSweepFile(path: string): Promise<SweepFile> {
  const full = resolve(path);
  let size: number;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw new ConfigError('sweep file', full, 'an existing .yaml, .yml or .json file');
  }
  if (size > SWEEP_LIMITS.fileBytes) {
    throw new ConfigError('sweep file', full, `at most ${SWEEP_LIMITS.fileBytes} bytes`, `${full} is ${size} bytes, over the ${SWEEP_LIMITS.fileBytes}-byte limit for a sweep file`);
  }
  const extension = extname(full).toLowerCase();
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw new ConfigError('sweep file', full, 'a file ending in .yaml, .yml or .json');
  }
  const text = await readFile(full, 'utf8');
  let raw: unknown;
  try {
    raw = extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError('sweep file', full, `valid ${extension.slice(1).toUpperCase()}`, `cannot parse ${full}: ${(error as Error).message}`);
  }
  try {
    return parseSweepFile(raw, dirname(full));
  } catch (error) {
    throw error instanceof ConfigError ? inFile(full, error) : error;
  }
}
