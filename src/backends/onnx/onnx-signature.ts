import type * as ort from 'onnxruntime-node';
import { ModelFileError } from '../../core/errors.ts';
import type { TransformerLoadOptions } from '../../core/transformer-backend.ts';
import { inputMismatch, nameDifference } from './onnx-name-check.ts';

/** Reading what a transformer file takes and gives: its inputs, mask form, id types, layers and KV shape. */

export type IdType = 'int64' | 'int32';
export type FloatType = 'float32' | 'float16';

/** Inputs some standard exports add, fed when the file has them (as transformers.js does). */
export const OPTIONAL_INPUTS = ['num_logits_to_keep', 'use_cache_branch'] as const;

/** What `OnnxTransformer.load` read from the file. */
export interface TransformerSignature {
  /** 4: float [B, 1, L, P+L] omni mask; 2: [B, P+L] padding mask of a standard export. */
  readonly maskRank: 4 | 2;
  readonly maskType: 'float32' | 'float16' | 'int64' | 'int32';
  readonly inputIdsType: IdType;
  /** undefined when the file has no position_ids input (allowed for standard exports). */
  readonly positionIdsType: IdType | undefined;
  /** Past and present keys/values: float32, or float16 (fp16 exports), passed through as the runtime gives them. */
  readonly pastType: FloatType;
  /** float16 logits are converted to float32 for the engine. */
  readonly logitsType: FloatType;
  /** `num_logits_to_keep` (0 = every position, k = the last k): its type and rank, or undefined when absent. */
  readonly logitsToKeep: { readonly type: IdType; readonly dims: readonly number[] } | undefined;
  /** `use_cache_branch` (bool [1], merged exports): true when a past is given. */
  readonly useCacheBranch: boolean;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly inputNames: readonly string[];
}

/** A tensor input's (or, with `outputs`, output's) metadata, when the file declares it. */
export function tensorMetadata(session: ort.InferenceSession, name: string, outputs = false): ort.InferenceSession.TensorValueMetadata | undefined {
  const all = outputs ? session.outputMetadata : session.inputMetadata;
  const found = all.find((m) => m.name === name);
  return found !== undefined && found.isTensor ? found : undefined;
}

/** A fixed, positive size of one axis; undefined when symbolic or unknown. */
export function fixedDim(meta: ort.InferenceSession.TensorValueMetadata | undefined, axis: number): number | undefined {
  const dim = meta?.shape[axis];
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}

/** Checks the file's inputs and outputs against a decoder with KV cache and reads its signature. */
export function parseSignature(session: ort.InferenceSession, path: string, options: TransformerLoadOptions): TransformerSignature {
  const inputs = session.inputNames;
  const outputs = session.outputNames;
  let numLayers = 0;
  while (inputs.includes(`past_key_values.${numLayers}.key`)) numLayers++;

  const maskMeta = tensorMetadata(session, 'attention_mask');
  const maskType = maskMeta?.type;
  // The rank decides; when the file leaves the shape out, the usual dtypes do (float = 4D omni mask).
  const maskRank = maskMeta !== undefined && maskMeta.shape.length > 0
    ? maskMeta.shape.length
    : (maskType === 'float32' || maskType === 'float16' ? 4 : 2);
  const hasPositionIds = inputs.includes('position_ids');
  const optional = OPTIONAL_INPUTS.filter((name) => inputs.includes(name));
  const expected = [
    'input_ids',
    ...(hasPositionIds || maskRank === 4 ? ['position_ids'] : []),
    'attention_mask',
    ...Array.from({ length: numLayers }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat(),
    ...optional,
  ];
  const omniExpected = ['input_ids', 'position_ids', 'attention_mask (float32 [batch, 1, length, past + length])',
    'past_key_values.{i}.key', 'past_key_values.{i}.value'];
  if (numLayers === 0 || !inputs.includes('input_ids') || !inputs.includes('attention_mask')) {
    throw inputMismatch(path, 'transformer inputs', inputs, expected.length > 3 ? expected : omniExpected,
      numLayers === 0 ? ' (no past_key_values.{i}.key inputs: not a decoder with KV cache)' : '');
  }
  if (nameDifference(inputs, expected).missing.length > 0 || nameDifference(inputs, expected).extra.length > 0) {
    throw inputMismatch(path, 'transformer inputs', inputs, expected, ` (optional inputs fed when present: ${OPTIONAL_INPUTS.join(', ')})`);
  }
  const expectedOutputs = ['logits', ...Array.from({ length: numLayers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat()];
  const missingOutputs = nameDifference(outputs, expectedOutputs).missing;
  if (missingOutputs.length > 0) {
    throw new ModelFileError('transformer outputs', outputs, `outputs ${expectedOutputs.join(', ')}`,
      `${path}: transformer outputs missing: ${missingOutputs.join(', ')}; expected: ${expectedOutputs.join(', ')}`);
  }
  if (options.layers !== undefined && options.layers !== numLayers) {
    throw new ModelFileError('transformer layers', numLayers, `${options.layers} (options.layers)`,
      `${path}: has ${numLayers} layers (past_key_values inputs), expected ${options.layers}`);
  }

  if (maskRank === 4) {
    if (maskType !== undefined && maskType !== 'float32' && maskType !== 'float16') {
      throw new ModelFileError('attention_mask type', maskType, 'float32 or float16 for a 4D mask', `${path}: 4D attention_mask is ${maskType}, expected float32 (or float16)`);
    }
  } else if (maskRank === 2) {
    if (maskType !== undefined && maskType !== 'int64' && maskType !== 'int32' && maskType !== 'float32') {
      throw new ModelFileError('attention_mask type', maskType, 'int64, int32 or float32 for a 2D mask', `${path}: 2D attention_mask is ${maskType}`);
    }
    if (options.requireOmniAttention === true) {
      throw new ModelFileError('attention_mask', `[${maskMeta?.shape.join(', ') ?? ''}]`, 'float32 [batch, 1, length, past + length]',
        `${path}: attention_mask is 2D (a standard decoder export), but a 4D omni-attention mask input is required; ` +
        `expected inputs: ${omniExpected.join(', ')}`);
    }
  } else {
    throw new ModelFileError('attention_mask rank', maskRank, '4 (omni) or 2 (standard)', `${path}: attention_mask has rank ${maskRank}, expected 4 or 2`);
  }

  const idType = (name: string): IdType => {
    const type = tensorMetadata(session, name)?.type ?? 'int64';
    if (type !== 'int64' && type !== 'int32') {
      throw new ModelFileError(`${name} type`, type, 'int64 or int32', `${path}: ${name} is ${type}, expected int64 or int32`);
    }
    return type;
  };

  const floatType = (name: string, meta: ort.InferenceSession.TensorValueMetadata | undefined): FloatType => {
    const type = meta?.type ?? 'float32';
    if (type !== 'float32' && type !== 'float16') {
      throw new ModelFileError(`${name} type`, type, 'float32 or float16', `${path}: ${name} is ${type}, expected float32 or float16`);
    }
    return type;
  };
  const pastType = floatType('past_key_values.0.key', tensorMetadata(session, 'past_key_values.0.key'));
  for (let i = 0; i < numLayers; i++) {
    for (const name of [`past_key_values.${i}.key`, `past_key_values.${i}.value`]) {
      const type = floatType(name, tensorMetadata(session, name));
      if (type !== pastType) {
        throw new ModelFileError(`${name} type`, type, `${pastType} (as past_key_values.0.key)`, `${path}: ${name} is ${type}, but past_key_values.0.key is ${pastType}`);
      }
    }
  }
  const presentType = floatType('present.0.key', tensorMetadata(session, 'present.0.key', true));
  if (presentType !== pastType) {
    throw new ModelFileError('present.0.key type', presentType, `${pastType} (as the past it becomes)`,
      `${path}: present.0.key is ${presentType}, but past_key_values.0.key is ${pastType}; the present is fed back as the next past`);
  }
  let logitsToKeep: TransformerSignature['logitsToKeep'];
  if (optional.includes('num_logits_to_keep')) {
    const meta = tensorMetadata(session, 'num_logits_to_keep');
    const rank = meta?.shape.length ?? 0;
    if (rank > 1) {
      throw new ModelFileError('num_logits_to_keep shape', meta?.shape, 'a scalar or [1]', `${path}: num_logits_to_keep has rank ${rank}, expected a scalar or [1]`);
    }
    logitsToKeep = { type: idType('num_logits_to_keep'), dims: rank === 0 ? [] : [1] };
  }
  if (optional.includes('use_cache_branch')) {
    const type = tensorMetadata(session, 'use_cache_branch')?.type ?? 'bool';
    if (type !== 'bool') {
      throw new ModelFileError('use_cache_branch type', type, 'bool', `${path}: use_cache_branch is ${type}, expected bool`);
    }
  }

  const pastMeta = tensorMetadata(session, 'past_key_values.0.key');
  const presentMeta = tensorMetadata(session, 'present.0.key', true);
  const numHeads = fixedDim(pastMeta, 1) ?? fixedDim(presentMeta, 1) ?? options.numHeads;
  const headDim = fixedDim(pastMeta, 3) ?? fixedDim(presentMeta, 3) ?? options.headDim;
  if (numHeads === undefined || headDim === undefined) {
    throw new ModelFileError('past_key_values shape', pastMeta?.shape ?? [], 'fixed heads and head size, or options.numHeads and options.headDim',
      `${path}: past_key_values.0.key has no fixed heads/head size; pass options.numHeads and options.headDim`);
  }
  for (const [name, given, found] of [['numHeads', options.numHeads, numHeads], ['headDim', options.headDim, headDim]] as const) {
    if (given !== undefined && given !== found) {
      throw new ModelFileError(name, found, `${given} (options.${name})`, `${path}: ${name} is ${found}, expected ${given}`);
    }
  }
  return {
    maskRank: maskRank === 4 ? 4 : 2,
    maskType: (maskType ?? (maskRank === 4 ? 'float32' : 'int64')) as TransformerSignature['maskType'],
    inputIdsType: idType('input_ids'),
    positionIdsType: hasPositionIds ? idType('position_ids') : undefined,
    pastType,
    logitsType: floatType('logits', tensorMetadata(session, 'logits', true)),
    logitsToKeep,
    useCacheBranch: optional.includes('use_cache_branch'),
    numLayers,
    numHeads,
    headDim,
    inputNames: [...inputs],
  };
}
