import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { SeededRandom } from '../core/sampling/seeded-random.ts';
import { floatAttr, intAttr, intsAttr, OnnxGraphBuilder, ONNX_DATA_TYPE, type EncodedModel } from './onnx-graph-builder.ts';

/**
 * A pre-LN GPT decoder with seeded random weights, written as ONNX from TypeScript, with the
 * transformer I/O of docs/model-format.md. For tests and benchmarks: it computes real attention
 * over a real KV cache, so cache and mask handling can be checked against a full forward.
 */
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
}

export const SYNTHETIC_DIMS = {
  batch: 'batch_size',
  sequence: 'sequence_length',
  past: 'past_sequence_length',
  total: 'total_sequence_length',
} as const;

// Large enough to zero a softmax weight, small enough that adding it to a score stays finite.
const BLOCKED = -1e9;

function positiveInteger(spec: SyntheticDecoderSpec, field: keyof SyntheticDecoderSpec): number {
  const value = spec[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`synthetic decoder ${field}`, value, 'an integer >= 1');
  }
  return value;
}

function validate(spec: SyntheticDecoderSpec): void {
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
}

/**
 * Normal(0, scale) weights from a stream forked by tensor name, so each tensor depends only on
 * the seed and its name (not on build order). Box-Muller, both values of each pair used.
 */
function normalWeights(seed: number | string, name: string, count: number, scale: number): () => Float32Array {
  return () => {
    const rng = new SeededRandom(seed).fork(name);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i += 2) {
      const radius = scale * Math.sqrt(-2 * Math.log(rng.nextOpen()));
      const angle = 2 * Math.PI * rng.next();
      out[i] = radius * Math.cos(angle);
      if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
    }
    return out;
  };
}

/** Builds the decoder graph; weights are produced lazily when it is encoded. */
export function buildSyntheticDecoder(spec: SyntheticDecoderSpec): OnnxGraphBuilder {
  validate(spec);
  const { vocabSize: V, hiddenSize: D, numLayers, numHeads: H, maxPositions, seed, maskStyle } = spec;
  const Dh = D / H;
  const F = spec.intermediateSize ?? 4 * D;
  const scale = spec.weightScale ?? 0.02;
  const { batch, sequence, past, total } = SYNTHETIC_DIMS;
  const g = new OnnxGraphBuilder({ name: `synthetic-decoder-${maskStyle}` });

  const weight = (name: string, dims: readonly number[]): string =>
    g.addInitializer(name, dims, { type: 'float32', data: normalWeights(seed, name, dims.reduce((a, b) => a * b, 1), scale) });
  const filled = (name: string, size: number, value: number): string =>
    g.addInitializer(name, [size], { type: 'float32', data: () => new Float32Array(size).fill(value) });
  const layerNorm = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, filled(`${prefix}.weight`, D, 1), filled(`${prefix}.bias`, D, 0)],
      { axis: intAttr(-1), epsilon: floatAttr(1e-5) });

  // Inputs.
  g.addInput('input_ids', 'int64', [batch, sequence]);
  g.addInput('position_ids', 'int64', [batch, sequence]);
  if (maskStyle === 'omni-4d') g.addInput('attention_mask', 'float32', [batch, 1, sequence, total]);
  else g.addInput('attention_mask', 'int64', [batch, total]);
  for (let i = 0; i < numLayers; i++) {
    g.addInput(`past_key_values.${i}.key`, 'float32', [batch, H, past, Dh]);
    g.addInput(`past_key_values.${i}.value`, 'float32', [batch, H, past, Dh]);
  }

  // Additive attention bias [B, 1, L, P+L]: 0 where attending is allowed, BLOCKED elsewhere.
  const one = g.floatConstant([1]);
  const blocked = g.floatConstant([BLOCKED]);
  let bias: string;
  if (maskStyle === 'omni-4d') {
    bias = g.op('Mul', [g.op('Sub', [one, 'attention_mask']), blocked]);
  } else {
    // Query i sits at absolute position P+i and may see key j iff j <= P+i and key j is not a pad.
    const axis1 = g.int64Constant([1], []);
    const totalLength = g.op('Gather', [g.op('Shape', ['attention_mask']), axis1], { axis: intAttr(0) });
    const length = g.op('Gather', [g.op('Shape', ['input_ids']), axis1], { axis: intAttr(0) });
    const pastLength = g.op('Sub', [totalLength, length]);
    const step = g.int64Constant([1], []);
    const keyPositions = g.op('Range', [g.int64Constant([0], []), totalLength, step]);
    const queryPositions = g.op('Range', [pastLength, totalLength, step]);
    const causal = g.op('LessOrEqual', [
      g.op('Unsqueeze', [keyPositions, g.int64Constant([0])]),
      g.op('Unsqueeze', [queryPositions, g.int64Constant([1])]),
    ]);
    const notPad = g.op('Unsqueeze', [
      g.op('Cast', ['attention_mask'], { to: intAttr(ONNX_DATA_TYPE.bool) }),
      g.int64Constant([1, 2]),
    ]);
    bias = g.op('Where', [g.op('And', [causal, notPad]), g.floatConstant([0]), blocked]);
  }

  // Embeddings.
  let x = g.op('Add', [
    g.op('Gather', [weight('model.embed_tokens.weight', [V, D]), 'input_ids'], { axis: intAttr(0) }),
    g.op('Gather', [weight('model.embed_positions.weight', [maxPositions, D]), 'position_ids'], { axis: intAttr(0) }),
  ]);

  const splitShape = g.int64Constant([0, 0, H, Dh]);
  const mergeShape = g.int64Constant([0, 0, D]);
  const queryScale = g.floatConstant([1 / Math.sqrt(Dh)]);
  const half = g.floatConstant([0.5]);
  const invSqrt2 = g.floatConstant([Math.SQRT1_2]);
  const heads = (value: string): string =>
    g.op('Transpose', [g.op('Reshape', [value, splitShape])], { perm: intsAttr([0, 2, 1, 3]) });

  for (let i = 0; i < numLayers; i++) {
    const p = `model.layers.${i}`;
    const h = layerNorm(x, `${p}.input_layernorm`);
    // Scaling q instead of the scores: same result, L*Dh multiplies instead of L*(P+L).
    const q = g.op('Mul', [heads(g.op('MatMul', [h, weight(`${p}.self_attn.q_proj.weight`, [D, D])])), queryScale]);
    const k = heads(g.op('MatMul', [h, weight(`${p}.self_attn.k_proj.weight`, [D, D])]));
    const v = heads(g.op('MatMul', [h, weight(`${p}.self_attn.v_proj.weight`, [D, D])]));
    const keys = g.op('Concat', [`past_key_values.${i}.key`, k], { axis: intAttr(2) }, `present.${i}.key`);
    const values = g.op('Concat', [`past_key_values.${i}.value`, v], { axis: intAttr(2) }, `present.${i}.value`);
    g.addOutput(keys, 'float32', [batch, H, total, Dh]);
    g.addOutput(values, 'float32', [batch, H, total, Dh]);

    const scores = g.op('Add', [g.op('MatMul', [q, g.op('Transpose', [keys], { perm: intsAttr([0, 1, 3, 2]) })]), bias]);
    const weights = g.op('Softmax', [scores], { axis: intAttr(-1) });
    const context = g.op('Reshape', [
      g.op('Transpose', [g.op('MatMul', [weights, values])], { perm: intsAttr([0, 2, 1, 3]) }),
      mergeShape,
    ]);
    x = g.op('Add', [x, g.op('MatMul', [context, weight(`${p}.self_attn.o_proj.weight`, [D, D])])]);

    const h2 = layerNorm(x, `${p}.post_attention_layernorm`);
    const up = g.op('MatMul', [h2, weight(`${p}.mlp.up_proj.weight`, [D, F])]);
    // Exact GELU, 0.5 x (1 + erf(x / sqrt 2)); ORT fuses this pattern into one Gelu kernel.
    const gelu = g.op('Mul', [g.op('Mul', [up, half]), g.op('Add', [g.op('Erf', [g.op('Mul', [up, invSqrt2])]), one])]);
    x = g.op('Add', [x, g.op('MatMul', [gelu, weight(`${p}.mlp.down_proj.weight`, [F, D])])]);
  }

  const final = layerNorm(x, 'model.norm');
  g.op('MatMul', [final, weight('lm_head.weight', [D, V])], {}, 'logits');
  g.addOutput('logits', 'float32', [batch, sequence, V]);
  return g;
}

/** The serialized model (weights are generated as it is written or joined). */
export function encodeSyntheticDecoder(spec: SyntheticDecoderSpec): EncodedModel {
  return buildSyntheticDecoder(spec).encode();
}

/** Writes the decoder to `path` (one .onnx file, weights inline; must stay under 2 GiB). */
export function writeSyntheticDecoder(spec: SyntheticDecoderSpec, path: string): void {
  encodeSyntheticDecoder(spec).writeFile(path);
}

export interface HuggingFaceLayoutOptions {
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
  readonly padTokenId?: number;
}

/**
 * Writes a 'standard-2d' decoder in the Hugging Face export layout that transformers.js loads:
 * `config.json`, `generation_config.json`, `onnx/model.onnx`. The config says "llama" because
 * transformers.js's llama path feeds exactly our I/O (input_ids, 2D attention_mask, position_ids
 * when the graph has it, past_key_values.{i}.key|value sized [B, num_key_value_heads, P, head_dim],
 * logits, present.{i}.key|value). The computation itself is GPT-style (learned positions,
 * LayerNorm); only the I/O is llama's, so this folder is not loadable by Python transformers'
 * llama weights code — nor meant to be.
 */
export function writeHuggingFaceDecoder(spec: SyntheticDecoderSpec, folder: string, options: HuggingFaceLayoutOptions = {}): void {
  if (spec.maskStyle !== 'standard-2d') {
    throw new ConfigError('synthetic decoder maskStyle', spec.maskStyle, "'standard-2d' for the Hugging Face layout");
  }
  validate(spec);
  const bos = options.bosTokenId ?? 1;
  const eos = options.eosTokenId ?? 2;
  const headDim = spec.hiddenSize / spec.numHeads;
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: spec.vocabSize,
    hidden_size: spec.hiddenSize,
    intermediate_size: spec.intermediateSize ?? 4 * spec.hiddenSize,
    num_hidden_layers: spec.numLayers,
    num_attention_heads: spec.numHeads,
    num_key_value_heads: spec.numHeads,
    head_dim: headDim,
    max_position_embeddings: spec.maxPositions,
    bos_token_id: bos,
    eos_token_id: eos,
    ...(options.padTokenId === undefined ? {} : { pad_token_id: options.padTokenId }),
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    use_cache: true,
    'transformers.js_config': { dtype: 'fp32', use_external_data_format: false },
    omnidecode_synthetic: { seed: spec.seed, weightScale: spec.weightScale ?? 0.02, note: 'GPT-style graph with llama I/O names' },
  };
  const generation = {
    bos_token_id: bos,
    eos_token_id: eos,
    ...(options.padTokenId === undefined ? {} : { pad_token_id: options.padTokenId }),
    max_length: spec.maxPositions,
  };
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  writeSyntheticDecoder(spec, join(folder, 'onnx', 'model.onnx'));
  writeFileSync(join(folder, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(folder, 'generation_config.json'), `${JSON.stringify(generation, null, 2)}\n`);
}
