import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeValue, ModelFileError } from '../../core/errors.ts';
import { readJsonObjectFile } from '../../node/json-object-file.ts';
import { janusSessionTableFrom } from '../../backends/onnx/janus/janus-session-table-config.ts';
import type { JanusSessionTable } from '../../backends/onnx/janus/janus-session-table.ts';

/** How an understanding image is prepared, from preprocessor_config.json (transformers.js's VLMImageProcessor fields). */
export interface JanusPreprocessing {
  /** Side of the square the image is fitted into and padded to. */
  readonly imageSize: number;
  readonly rescaleFactor: number;
  readonly normalize: boolean;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  /** Padding colour, 0..255 per channel. */
  readonly background: readonly [number, number, number];
}

/** VLChatProcessor's image tags (processor_config.json). */
export interface JanusImageTags {
  readonly placeholder: string;
  readonly start: string;
  readonly end: string;
}

/** What a Janus-layout folder says about itself, checked; files are named by absolute path. */
export interface JanusModelFolder {
  readonly dir: string;
  readonly table: JanusSessionTable;
  readonly textVocabSize: number;
  readonly codebookSize: number;
  readonly bosTokenId: number;
  readonly eosTokenId: number;
  readonly padTokenId: number;
  readonly maxPositions: number;
  /** Generated image: grid x grid codes. */
  readonly grid: number;
  /** Embeddings one understanding image gives (the placeholders per image). */
  readonly understandingTokens: number;
  readonly tags: JanusImageTags;
  readonly preprocessing: JanusPreprocessing;
  readonly tokenizerFile: string;
  /** tokenizer_config.json as read (bos_token, chat_template, ...). */
  readonly tokenizerConfig: Readonly<Record<string, unknown>>;
}

/** Janus's generation grid when the config does not say (384 px at 16 px a code). */
const DEFAULT_GENERATION_TOKENS = 24 * 24;
const MAX_SIDE = 4096;

type Json = Readonly<Record<string, unknown>>;

function readJsonSync(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Whether `dir` is a Janus-layout folder: its config.json says so (model_type multi_modality or the
 * MultiModalityCausalLM architecture), or it holds the language model and both heads of the
 * default session table. Reads at most config.json; never throws.
 */
export function isJanusFolder(dir: string): boolean {
  const config = readJsonSync(join(dir, 'config.json'));
  if (typeof config === 'object' && config !== null) {
    const { model_type: type, architectures } = config as Json;
    if (type === 'multi_modality' || (Array.isArray(architectures) && architectures.includes('MultiModalityCausalLM'))) return true;
  }
  return ['onnx/language_model.onnx', 'onnx/lm_head.onnx', 'onnx/gen_head.onnx'].every((file) => existsSync(join(dir, file)));
}

function missing(path: string): never {
  throw new ModelFileError('model file', path, 'a Janus-layout folder file', `model file missing: ${path} (a Janus-layout folder has config.json, tokenizer.json, processor_config.json and its graphs)`);
}

async function readJson(path: string, required: boolean): Promise<Json> {
  if (!existsSync(path)) return required ? missing(path) : {};
  return readJsonObjectFile(path);
}

function fail(path: string, field: string, value: unknown, expected: string): never {
  throw new ModelFileError(field, value, expected, `${path}: ${field}: got ${value === undefined ? 'nothing (missing)' : describeValue(value)}, expected ${expected}`);
}

/** The first of `fields` (dotted paths) that is set, from the first file that sets it. */
function pick(sources: readonly (readonly [string, Json])[], fields: readonly string[]): { path: string; field: string; value: unknown } | undefined {
  for (const [path, json] of sources) {
    for (const field of fields) {
      let value: unknown = json;
      for (const key of field.split('.')) value = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
      if (value !== undefined && value !== null) return { path, field, value };
    }
  }
  return undefined;
}

function integer(sources: readonly (readonly [string, Json])[], fields: readonly string[], min: number, max: number, fallback?: number): number {
  const found = pick(sources, fields);
  if (found === undefined) return fallback ?? fail(sources[0]?.[0] ?? 'config.json', fields.join(' or '), undefined, `an integer from ${min} to ${max}`);
  const { path, field, value } = found;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(path, field, value, `an integer from ${min} to ${max}`);
  return value as number;
}

function triple(path: string, json: Json, field: string, fallback: readonly [number, number, number]): readonly [number, number, number] {
  const value = json[field];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length !== 3 || !value.every((item) => typeof item === 'number' && Number.isFinite(item))) {
    fail(path, field, value, 'three finite numbers (one per RGB channel)');
  }
  return value as unknown as readonly [number, number, number];
}

function text(path: string, json: Json, field: string, fallback: string): string {
  const value = json[field] ?? fallback;
  if (typeof value !== 'string' || value === '') fail(path, field, value, 'a token string');
  return value as string;
}

/** Reads and checks a Janus-layout folder's config files (not its graphs: JanusTransformer checks those; nor tokenizer.json beyond its presence: JanusChat reads it). */
export async function openJanusModelFolder(dir: string): Promise<JanusModelFolder> {
  const full = resolve(dir);
  const configPath = join(full, 'config.json');
  const config = await readJson(configPath, true);
  const generationPath = join(full, 'generation_config.json');
  const generation = await readJson(generationPath, false);
  const processorPath = join(full, 'processor_config.json');
  const processor = await readJson(processorPath, true);
  const preprocessorPath = join(full, 'preprocessor_config.json');
  const preprocessor = await readJson(preprocessorPath, true);
  const tokenizerConfig = await readJson(join(full, 'tokenizer_config.json'), true);
  const tokenizerFile = join(full, 'tokenizer.json');
  // Only its presence: JanusChat reads it once, bounded (it is the folder's largest JSON file).
  if (!existsSync(tokenizerFile)) missing(tokenizerFile);

  const cfg: readonly (readonly [string, Json])[] = [[configPath, config]];
  const textVocabSize = integer(cfg, ['language_config.vocab_size', 'vocab_size'], 2, 1 << 24);
  const codebookSize = integer(cfg, ['gen_head_config.params.image_token_size', 'gen_vision_config.params.image_token_size'], 1, 1 << 24);
  const ids: readonly (readonly [string, Json])[] = [[generationPath, generation], [configPath, config], [configPath, (config.language_config ?? {}) as Json]];
  const id = (name: string): number => integer(ids, [name], 0, textVocabSize - 1);
  const understandingTokens = integer([[processorPath, processor]], ['num_image_tokens'], 1, 1 << 16);
  const generationTokens = integer([...cfg, [processorPath, processor]], ['gen_vision_config.params.num_image_tokens', 'num_image_tokens'], 1, 1 << 16, DEFAULT_GENERATION_TOKENS);
  const grid = Math.round(Math.sqrt(generationTokens));
  if (grid * grid !== generationTokens) fail(configPath, 'gen_vision_config.params.num_image_tokens', generationTokens, 'a square number of image tokens (grid x grid)');
  const pre: readonly (readonly [string, Json])[] = [[preprocessorPath, preprocessor]];
  const rescale = preprocessor.rescale_factor ?? 1 / 255;
  if (typeof rescale !== 'number' || !(rescale > 0)) fail(preprocessorPath, 'rescale_factor', rescale, 'a number > 0');
  const std = triple(preprocessorPath, preprocessor, 'image_std', [1, 1, 1]);
  if (std.some((value) => value === 0)) fail(preprocessorPath, 'image_std', std, 'three non-zero numbers');
  return {
    dir: full,
    table: janusSessionTableFrom(config, configPath),
    textVocabSize, codebookSize,
    bosTokenId: id('bos_token_id'), eosTokenId: id('eos_token_id'), padTokenId: id('pad_token_id'),
    maxPositions: integer([[configPath, (config.language_config ?? {}) as Json], ...cfg], ['max_position_embeddings'], 2, 1 << 20),
    grid, understandingTokens,
    tags: {
      placeholder: text(processorPath, processor, 'image_tag', '<image_placeholder>'),
      start: text(processorPath, processor, 'image_start_tag', '<begin_of_image>'),
      end: text(processorPath, processor, 'image_end_tag', '<end_of_image>'),
    },
    preprocessing: {
      imageSize: integer(pre, ['image_size'], 1, MAX_SIDE), rescaleFactor: rescale as number, normalize: preprocessor.do_normalize === true,
      mean: triple(preprocessorPath, preprocessor, 'image_mean', [0, 0, 0]), std,
      background: triple(preprocessorPath, preprocessor, 'background_color', [127, 127, 127]),
    },
    tokenizerFile, tokenizerConfig,
  };
}
