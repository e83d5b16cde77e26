import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeValue, ModelFileError } from '../core/errors.ts';
import { readJsonObjectFile } from '../node/json-object-file.ts';

/**
 * A text-only model folder as standard exports lay it out (optimum, onnx-community, what
 * transformers.js loads): `config.json` (Hugging Face fields), `tokenizer.json`, `onnx/model.onnx`,
 * optionally `generation_config.json`. No image vocabulary: every id is text.
 */
export interface TextModelFolder {
  readonly dir: string;
  /** Absolute path of the decoder graph. */
  readonly transformerFile: string;
  readonly tokenizerFile: string;
  readonly vocabSize: number;
  readonly numLayers: number;
  /** Key/value heads (num_key_value_heads, else num_attention_heads). */
  readonly numHeads: number;
  readonly headDim: number;
  readonly maxPositions: number;
  /** Prepended to every prompt when the config names one. */
  readonly bosTokenId: number | undefined;
  /** Stop ids, from generation_config.json when it has them, else config.json (an export may list several). */
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number | undefined;
}

/** Where the decoder graph may sit, in order: the Hugging Face export's place first. */
export const TEXT_MODEL_FILES = ['onnx/model.onnx', 'model.onnx'] as const;

function fail(path: string, field: string, value: unknown, expected: string): never {
  throw new ModelFileError(field, value, expected,
    `${path}: ${field}: got ${value === undefined ? 'nothing (missing)' : describeValue(value)}, expected ${expected}`);
}

function integer(path: string, config: Record<string, unknown>, keys: readonly string[], min: number): number | undefined {
  for (const key of keys) {
    const value = config[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(path, key, value, `an integer >= ${min}`);
    return value;
  }
  return undefined;
}

function required(path: string, config: Record<string, unknown>, keys: readonly string[], min: number): number {
  return integer(path, config, keys, min) ?? fail(path, keys.join(' or '), undefined, `an integer >= ${min}`);
}

/** One id or a list of ids (eos_token_id may be either). */
function ids(path: string, value: unknown, field: string, vocabSize: number): number[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((id, index) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
      fail(path, Array.isArray(value) ? `${field}[${index}]` : field, id, `a token id in [0, ${vocabSize - 1}]`);
    }
    return id;
  });
}

/** Reads and checks a text-only folder, naming the file and field of whatever is missing or wrong. */
export async function openTextModelFolder(dir: string): Promise<TextModelFolder> {
  const full = resolve(dir);
  const configPath = join(full, 'config.json');
  const expectedLayout = `a text-only model folder: config.json, tokenizer.json and ${TEXT_MODEL_FILES.join(' or ')}`;
  if (!existsSync(configPath)) {
    throw new ModelFileError('model folder', full, expectedLayout, `${full} is not a text model folder: config.json is missing (expected ${expectedLayout})`);
  }
  const config = await readJsonObjectFile(configPath);
  if ('vocabulary' in config && 'transformer' in config) {
    throw new ModelFileError('model folder', full, expectedLayout,
      `${full} is a unified (text and image) omnidecode model folder; complete takes ${expectedLayout}, `
      + 'e.g. a Hugging Face ONNX export (docs/model-format.md, "Text-only folders")');
  }
  const vocabSize = required(configPath, config, ['vocab_size'], 1);
  const numLayers = required(configPath, config, ['num_hidden_layers', 'n_layer'], 1);
  const attentionHeads = required(configPath, config, ['num_attention_heads', 'n_head'], 1);
  const numHeads = integer(configPath, config, ['num_key_value_heads'], 1) ?? attentionHeads;
  const hidden = integer(configPath, config, ['hidden_size', 'n_embd'], 1);
  const headDim = integer(configPath, config, ['head_dim'], 1)
    ?? (hidden !== undefined && hidden % attentionHeads === 0 ? hidden / attentionHeads : fail(configPath, 'head_dim', undefined, 'an integer >= 1 (or hidden_size divisible by num_attention_heads)'));
  const maxPositions = required(configPath, config, ['max_position_embeddings', 'n_positions'], 1);

  const generationPath = join(full, 'generation_config.json');
  const generation = existsSync(generationPath) ? await readJsonObjectFile(generationPath) : {};
  const pick = (key: string): unknown => generation[key] ?? config[key];
  const pickPath = (key: string): string => (generation[key] !== undefined ? generationPath : configPath);
  const bos = ids(pickPath('bos_token_id'), pick('bos_token_id'), 'bos_token_id', vocabSize)[0];
  const eosTokenIds = ids(pickPath('eos_token_id'), pick('eos_token_id'), 'eos_token_id', vocabSize);
  const pad = ids(pickPath('pad_token_id'), pick('pad_token_id'), 'pad_token_id', vocabSize)[0];

  const transformerFile = TEXT_MODEL_FILES.map((file) => join(full, file)).find((path) => existsSync(path));
  if (transformerFile === undefined) {
    throw new ModelFileError('model file', join(full, TEXT_MODEL_FILES[0]), `one of ${TEXT_MODEL_FILES.join(', ')} in ${full}`,
      `model file missing: none of ${TEXT_MODEL_FILES.map((file) => join(full, file)).join(', ')} exists`);
  }
  const tokenizerFile = join(full, 'tokenizer.json');
  if (!existsSync(tokenizerFile)) {
    throw new ModelFileError('model file', tokenizerFile, `tokenizer.json in ${full}`, `model file missing: ${tokenizerFile} (the text tokenizer)`);
  }
  return {
    dir: full, transformerFile, tokenizerFile, vocabSize, numLayers, numHeads, headDim, maxPositions,
    bosTokenId: bos, eosTokenIds, padTokenId: pad,
  };
}
