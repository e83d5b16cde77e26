import { readFile } from 'node:fs/promises';
import { ModelFileError } from '../core/errors.ts';

/**
 * A model folder's JSON file (config.json, generation_config.json, tokenizer_config.json, ...) as one
 * object; unreadable JSON, or a value that is not an object, is refused naming the file.
 */
export async function readJsonObjectFile(path: string): Promise<Readonly<Record<string, unknown>>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ModelFileError(path, undefined, 'a readable JSON object', `${path}: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFileError(path, json, 'a JSON object');
  return json as Readonly<Record<string, unknown>>;
}
