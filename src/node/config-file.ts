import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseConfig, type OmnidecodeConfig } from '../core/config/omnidecode-config.ts';
import { ConfigError } from '../core/errors.ts';

/**
 * Reads a .json, .yaml or .yml config file: the Node side of the config (the core parses an
 * object it is handed and reads no file). Relative paths in it resolve against the file's folder.
 */
export async function readConfigFile(path: string): Promise<OmnidecodeConfig> {
  const full = resolve(path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new ConfigError('config file', full, 'an existing .json, .yaml or .yml file');
  }
  const extension = extname(full).toLowerCase();
  let raw: unknown;
  try {
    if (extension === '.json') raw = JSON.parse(text);
    else if (extension === '.yaml' || extension === '.yml') raw = parseYaml(text);
    else throw new ConfigError('config file', full, 'a file ending in .json, .yaml or .yml');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('config file', full, `valid ${extension.slice(1).toUpperCase()}`, `cannot parse ${full}: ${(error as Error).message}`);
  }
  return parseConfig(raw, dirname(full));
}
