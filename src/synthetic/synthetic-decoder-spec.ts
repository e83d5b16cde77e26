import { ConfigError } from '../core/errors.ts';

/** What a synthetic decoder is: its size, its seed, and the I/O variant of the export it imitates. */
export interface SyntheticDecoderSpec {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly maxPositions: number;
  readonly seed: number | string;
  /**
   * 'omni-4d': `attention_mask` float32 [B, 1, L, P+L] is applied as given.
   * 'standard-2d': `attention_mask` int64 [B, P+L] marks non-pad keys; the graph adds causality.
   */
  readonly maskStyle: 'omni-4d' | 'standard-2d';
  /** MLP width; default 4 x hiddenSize. */
  readonly intermediateSize?: number;
  /**
   * Standard deviation of the random weights; default 0.02 (GPT-2's init). Tests use larger
   * values so attention is far from uniform and a wrong mask or cache shows in the logits.
   */
  readonly weightScale?: number;
  /** Type of input_ids, position_ids and (standard-2d) attention_mask; default int64. */
  readonly idType?: 'int64' | 'int32';
  /** Type of past_key_values / present (fp16 exports store the cache in half precision); default float32. */
  readonly pastType?: 'float32' | 'float16';
  /** Type of logits; default float32. */
  readonly logitsType?: 'float32' | 'float16';
  /** Adds `num_logits_to_keep` (int64 scalar: 0 = every position, k = the last k), as optimum/transformers.js exports have. */
  readonly logitsToKeepInput?: boolean;
  /**
   * Adds `use_cache_branch` (bool [1]) of merged exports. Standing in for the merged graph's If:
   * with false the past contributes nothing (its keys and values are zeroed), so a wrong flag shows.
   */
  readonly useCacheBranchInput?: boolean;
}

export const SYNTHETIC_DIMS = {
  batch: 'batch_size',
  sequence: 'sequence_length',
  past: 'past_sequence_length',
  total: 'total_sequence_length',
  /** Positions the logits cover (all, or the last num_logits_to_keep). */
  kept: 'logits_length',
} as const;

function positiveInteger(spec: SyntheticDecoderSpec, field: keyof SyntheticDecoderSpec): number {
  const value = spec[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`synthetic decoder ${field}`, value, 'an integer >= 1');
  }
  return value;
}

function oneOf(spec: SyntheticDecoderSpec, field: keyof SyntheticDecoderSpec, values: readonly unknown[]): void {
  const value = spec[field];
  if (value !== undefined && !values.includes(value)) {
    throw new ConfigError(`synthetic decoder ${field}`, value, values.map((v) => JSON.stringify(v)).join(' or '));
  }
}

export function validateSyntheticDecoderSpec(spec: SyntheticDecoderSpec): void {
  for (const field of ['vocabSize', 'hiddenSize', 'numLayers', 'numHeads', 'maxPositions'] as const) {
    positiveInteger(spec, field);
  }
  if (spec.intermediateSize !== undefined) positiveInteger(spec, 'intermediateSize');
  if (spec.hiddenSize % spec.numHeads !== 0) {
    throw new ConfigError('synthetic decoder hiddenSize', spec.hiddenSize, `a multiple of numHeads (${spec.numHeads})`);
  }
  if (spec.maskStyle !== 'omni-4d' && spec.maskStyle !== 'standard-2d') {
    throw new ConfigError('synthetic decoder maskStyle', spec.maskStyle, "'omni-4d' or 'standard-2d'");
  }
  const scale = spec.weightScale;
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) {
    throw new ConfigError('synthetic decoder weightScale', scale, 'a finite number > 0');
  }
  oneOf(spec, 'idType', ['int64', 'int32']);
  oneOf(spec, 'pastType', ['float32', 'float16']);
  oneOf(spec, 'logitsType', ['float32', 'float16']);
  oneOf(spec, 'logitsToKeepInput', [true, false]);
  oneOf(spec, 'useCacheBranchInput', [true, false]);
}
