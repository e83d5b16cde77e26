import { open } from 'node:fs/promises';
import { ModelFileError } from '../core/errors.ts';

/** Most bytes of a model folder's config file (config.json, generation_config.json, ...): real ones are kilobytes. */
export const MAX_CONFIG_JSON_BYTES = 16 * 1024 * 1024;
/** Most bytes of a tokenizer.json: real ones are a few MB (a 256k-word vocabulary with merges, ~35 MB). */
export const MAX_TOKENIZER_JSON_BYTES = 256 * 1024 * 1024;

const READ_CHUNK = 1 << 20;

/**
 * A model folder's JSON file (config.json, generation_config.json, tokenizer_config.json,
 * tokenizer.json, ...) as one object; a file over `maxBytes`, unreadable JSON, or a value that is not
 * an object, is refused naming the file. The size is checked before the text is parsed (a huge or
 * endless file is never read whole).
 */
export async function readJsonObjectFile(path: string, maxBytes = MAX_CONFIG_JSON_BYTES): Promise<Readonly<Record<string, unknown>>> {
  let json: unknown;
  try {
    json = JSON.parse(await readBoundedText(path, maxBytes));
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(path, undefined, 'a readable JSON object', `${path}: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFileError(path, json, 'a JSON object');
  return json as Readonly<Record<string, unknown>>;
}

/** A regular file's size is checked before reading; anything else (a pipe) is read only until it passes the limit. */
async function readBoundedText(path: string, maxBytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > maxBytes) throw tooLarge(path, `${info.size} bytes`, maxBytes);
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const part = Buffer.allocUnsafe(Math.min(READ_CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(part, 0, part.length, null);
      if (bytesRead === 0) break;
      parts.push(part.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, `more than ${maxBytes} bytes`, maxBytes);
    }
    return Buffer.concat(parts, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, size: string, maxBytes: number): ModelFileError {
  return new ModelFileError(path, size, `at most ${maxBytes} bytes`, `${path}: ${size}, more than the ${maxBytes} bytes a model folder's JSON file may have`);
}
