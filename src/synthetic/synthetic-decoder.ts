import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { SeededRandom } from '../core/sampling/seeded-random.ts';
import { floatAttr, intAttr, intsAttr, OnnxGraphBuilder, ONNX_DATA_TYPE, type EncodedModel } from './onnx-graph-builder.ts';
import { syntheticWordTokenizer } from './synthetic-word-tokenizer.ts';
import { SYNTHETIC_DIMS, validateSyntheticDecoderSpec as validate, type SyntheticDecoderSpec } from './synthetic-decoder-spec.ts';

/**
 * A pre-LN GPT decoder with seeded random weights, written as ONNX from TypeScript, with the
 * transformer I/O of docs/model-format.md. For tests and benchmarks: it computes real attention
 * over a real KV cache, so cache and mask handling can be checked against a full forward. The
 * spec's variant fields give the I/O of standard exports as people produce them (int32 ids, fp16
 * past and logits, num_logits_to_keep, use_cache_branch); the computation stays float32.
 */
export type { SyntheticDecoderSpec } from './synthetic-decoder-spec.ts';
export { SYNTHETIC_DIMS } from './synthetic-decoder-spec.ts';

// Large enough to zero a softmax weight, small enough that adding it to a score stays finite.
const BLOCKED = -1e9;

// Slice clamps its end to the axis length: "to the end" without an int64 that JavaScript cannot hold.
const TO_THE_END = 2 ** 31 - 1;

/**
 * Normal(0, scale) weights from a stream forked by tensor name, so each tensor depends only on
 * the seed and its name (not on build order). Box-Muller, both values of each pair used.
 */
export function normalWeights(seed: number | string, name: string, count: number, scale: number): () => Float32Array {
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
  const { batch, sequence, past, total, kept } = SYNTHETIC_DIMS;
  const idType = spec.idType ?? 'int64';
  const pastType = spec.pastType ?? 'float32';
  const g = new OnnxGraphBuilder({ name: `synthetic-decoder-${maskStyle}` });
  const cast = (value: string, to: 'float32' | 'float16', outputName?: string): string =>
    g.op('Cast', [value], { to: intAttr(ONNX_DATA_TYPE[to]) }, outputName);

  const weight = (name: string, dims: readonly number[]): string =>
    g.addInitializer(name, dims, { type: 'float32', data: normalWeights(seed, name, dims.reduce((a, b) => a * b, 1), scale) });
  const filled = (name: string, size: number, value: number): string =>
    g.addInitializer(name, [size], { type: 'float32', data: () => new Float32Array(size).fill(value) });
  const layerNorm = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, filled(`${prefix}.weight`, D, 1), filled(`${prefix}.bias`, D, 0)],
      { axis: intAttr(-1), epsilon: floatAttr(1e-5) });

  // Inputs.
  g.addInput('input_ids', idType, [batch, sequence]);
  g.addInput('position_ids', idType, [batch, sequence]);
  if (maskStyle === 'omni-4d') g.addInput('attention_mask', 'float32', [batch, 1, sequence, total]);
  else g.addInput('attention_mask', idType, [batch, total]);
  for (let i = 0; i < numLayers; i++) {
    g.addInput(`past_key_values.${i}.key`, pastType, [batch, H, past, Dh]);
    g.addInput(`past_key_values.${i}.value`, pastType, [batch, H, past, Dh]);
  }
  if (spec.logitsToKeepInput === true) g.addInput('num_logits_to_keep', 'int64', []);
  // The past as this graph uses it: zeroed when use_cache_branch is false.
  let pastFlag: string | undefined;
  if (spec.useCacheBranchInput === true) {
    g.addInput('use_cache_branch', 'bool', [1]);
    pastFlag = cast('use_cache_branch', 'float32');
  }
  const pastIn = (name: string): string => {
    if (pastFlag === undefined) return name;
    const gated = g.op('Mul', [pastType === 'float16' ? cast(name, 'float32') : name, pastFlag]);
    return pastType === 'float16' ? cast(gated, 'float16') : gated;
  };
  // Past + this forward's keys (or values) -> the present output; attention reads it as float32.
  const present = (pastName: string, current: string, presentName: string): string => {
    if (pastType === 'float32') return g.op('Concat', [pastIn(pastName), current], { axis: intAttr(2) }, presentName);
    g.op('Concat', [pastIn(pastName), cast(current, 'float16')], { axis: intAttr(2) }, presentName);
    return cast(presentName, 'float32');
  };

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
    const keys = present(`past_key_values.${i}.key`, k, `present.${i}.key`);
    const values = present(`past_key_values.${i}.value`, v, `present.${i}.value`);
    g.addOutput(`present.${i}.key`, pastType, [batch, H, total, Dh]);
    g.addOutput(`present.${i}.value`, pastType, [batch, H, total, Dh]);

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

  let final = layerNorm(x, 'model.norm');
  if (spec.logitsToKeepInput === true) {
    // Keep positions [L - k, L) (all of them for k = 0) before the head, as the exports do.
    const keep = g.op('Reshape', ['num_logits_to_keep', g.int64Constant([1])]);
    const length = g.op('Gather', [g.op('Shape', [final]), g.int64Constant([1])], { axis: intAttr(0) });
    const zero = g.int64Constant([0]);
    const start = g.op('Where', [g.op('Equal', [keep, zero]), zero, g.op('Sub', [length, keep])]);
    final = g.op('Slice', [final, start, g.int64Constant([TO_THE_END]), g.int64Constant([1])]);
  }
  const logitsType = spec.logitsType ?? 'float32';
  const logits = g.op('MatMul', [final, weight('lm_head.weight', [D, V])], {}, logitsType === 'float32' ? 'logits' : undefined);
  if (logitsType === 'float16') cast(logits, 'float16', 'logits');
  g.addOutput('logits', logitsType, [batch, spec.logitsToKeepInput === true ? kept : sequence, V]);
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
  /** Also write tokenizer.json (synthetic-word-tokenizer.ts: id k is the word "w<k>"; id 0 is <unk>). */
  readonly tokenizer?: boolean;
}

/**
 * Writes a 'standard-2d' decoder in the Hugging Face export layout that transformers.js loads:
 * `config.json`, `generation_config.json`, `onnx/model.onnx` (and `tokenizer.json` when asked),
 * in the spec's I/O variant (fp16 past: torch_dtype float16). The config says "llama" because
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
    torch_dtype: spec.pastType === 'float16' ? 'float16' : 'float32',
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
  if (options.tokenizer === true) {
    const tokenizer = syntheticWordTokenizer(spec.vocabSize, { unkTokenId: 0, bosTokenId: bos, eosTokenId: eos,
      ...(options.padTokenId === undefined ? {} : { padTokenId: options.padTokenId }) });
    writeFileSync(join(folder, 'tokenizer.json'), `${JSON.stringify(tokenizer)}\n`);
  }
}
