import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelFileError } from '../core/errors.ts';
import { parseModelConfig, type ModelConfig } from '../tokenizers/model-config.ts';

/** The embedded default model, shipped in the package (found from src/ and from dist/src/ alike). */
export { DEFAULT_MODEL_DIR } from '../node/package-paths.ts';
import { DEFAULT_MODEL_DIR } from '../node/package-paths.ts';

export interface ModelFolder {
  readonly dir: string;
  readonly config: ModelConfig;
  /** Absolute path of a file named in config.json. */
  file(relative: string): string;
}

/** Reads and validates config.json, and checks every file it names exists (naming the missing one). */
export async function openModelFolder(dir: string = DEFAULT_MODEL_DIR): Promise<ModelFolder> {
  const full = resolve(dir);
  const configPath = join(full, 'config.json');
  if (!existsSync(configPath)) {
    throw new ModelFileError('model folder', full, 'a folder with config.json, tokenizer.json and onnx/*.onnx (see docs/model-format.md)',
      `${full} is not a model folder: config.json is missing (expected config.json, tokenizer.json and onnx/*.onnx; see docs/model-format.md)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    throw new ModelFileError('config.json', configPath, 'valid JSON', `${configPath}: ${(error as Error).message}`);
  }
  const config = parseModelConfig(json, configPath);
  const folder: ModelFolder = { dir: full, config, file: (relative) => join(full, relative) };
  const needed = ['tokenizer.json', config.transformer.file, config.vq.encoder, config.vq.decoder];
  for (const relative of needed) {
    const path = folder.file(relative);
    if (!existsSync(path)) {
      throw new ModelFileError('model file', path, `a file named by ${configPath}`, `model file missing: ${path} (named in ${configPath})`);
    }
  }
  return folder;
}
