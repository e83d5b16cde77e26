import { intAttr, intsAttr, OnnxGraphBuilder, ONNX_DATA_TYPE } from '../onnx-graph-builder.ts';
import { JANUS_HIDDEN_STATES } from './janus-io-names.ts';
import { validateSyntheticJanusSpec, type SyntheticJanusSpec } from './janus-spec.ts';
import { janusWeights } from './janus-weights.ts';

// Large enough to zero a softmax weight, small enough that adding it to a score stays finite.
const BLOCKED = -1e9;

/**
 * `language_model`: a pre-LN GPT decoder on embeddings, with llama's export I/O: inputs_embeds
 * float32 [B, L, D], attention_mask int64 [B, P+L] (1 = real key; causality added inside),
 * position_ids int64 [B, L] (learned positions), past_key_values.{i}.key|value [B, H, P, Dh] ->
 * hidden_states [B, L, D] (after the final norm) and present.{i}.key|value [B, H, P+L, Dh].
 */
export function buildJanusLanguageModel(spec: SyntheticJanusSpec): OnnxGraphBuilder {
  validateSyntheticJanusSpec(spec);
  const { hiddenSize: D, numLayers, numHeads: H, maxPositions } = spec;
  const Dh = D / H;
  const F = 4 * D;
  const g = new OnnxGraphBuilder({ name: 'janus-language-model' });
  const { weight, layerNorm } = janusWeights(g, spec);
  const [batch, sequence, past, total] = ['batch_size', 'sequence_length', 'past_sequence_length', 'total_sequence_length'];

  g.addInput('inputs_embeds', 'float32', [batch, sequence, D]);
  g.addInput('attention_mask', 'int64', [batch, total]);
  g.addInput('position_ids', 'int64', [batch, sequence]);
  for (let i = 0; i < numLayers; i++) {
    g.addInput(`past_key_values.${i}.key`, 'float32', [batch, H, past, Dh]);
    g.addInput(`past_key_values.${i}.value`, 'float32', [batch, H, past, Dh]);
  }

  // Query i sits at absolute position P+i and may see key j iff j <= P+i and key j is not a pad.
  const axis1 = g.int64Constant([1], []);
  const totalLength = g.op('Gather', [g.op('Shape', ['attention_mask']), axis1], { axis: intAttr(0) });
  const length = g.op('Gather', [g.op('Shape', ['inputs_embeds']), axis1], { axis: intAttr(0) });
  const step = g.int64Constant([1], []);
  const keyPositions = g.op('Range', [g.int64Constant([0], []), totalLength, step]);
  const queryPositions = g.op('Range', [g.op('Sub', [totalLength, length]), totalLength, step]);
  const causal = g.op('LessOrEqual', [
    g.op('Unsqueeze', [keyPositions, g.int64Constant([0])]),
    g.op('Unsqueeze', [queryPositions, g.int64Constant([1])]),
  ]);
  const notPad = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: intAttr(ONNX_DATA_TYPE.bool) }), g.int64Constant([1, 2])]);
  const bias = g.op('Where', [g.op('And', [causal, notPad]), g.floatConstant([0]), g.floatConstant([BLOCKED])]);

  let x = g.op('Add', ['inputs_embeds',
    g.op('Gather', [weight('model.embed_positions.weight', [maxPositions, D]), 'position_ids'], { axis: intAttr(0) })]);
  const splitShape = g.int64Constant([0, 0, H, Dh]);
  const mergeShape = g.int64Constant([0, 0, D]);
  const queryScale = g.floatConstant([1 / Math.sqrt(Dh)]);
  const heads = (value: string): string => g.op('Transpose', [g.op('Reshape', [value, splitShape])], { perm: intsAttr([0, 2, 1, 3]) });

  for (let i = 0; i < numLayers; i++) {
    const p = `model.layers.${i}`;
    const h = layerNorm(x, `${p}.input_layernorm`);
    const q = g.op('Mul', [heads(g.op('MatMul', [h, weight(`${p}.self_attn.q_proj.weight`, [D, D])])), queryScale]);
    const k = heads(g.op('MatMul', [h, weight(`${p}.self_attn.k_proj.weight`, [D, D])]));
    const v = heads(g.op('MatMul', [h, weight(`${p}.self_attn.v_proj.weight`, [D, D])]));
    const keys = g.op('Concat', [`past_key_values.${i}.key`, k], { axis: intAttr(2) }, `present.${i}.key`);
    const values = g.op('Concat', [`past_key_values.${i}.value`, v], { axis: intAttr(2) }, `present.${i}.value`);
    g.addOutput(`present.${i}.key`, 'float32', [batch, H, total, Dh]);
    g.addOutput(`present.${i}.value`, 'float32', [batch, H, total, Dh]);
    const scores = g.op('Add', [g.op('MatMul', [q, g.op('Transpose', [keys], { perm: intsAttr([0, 1, 3, 2]) })]), bias]);
    const attention = g.op('Softmax', [scores], { axis: intAttr(-1) });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [attention, values])], { perm: intsAttr([0, 2, 1, 3]) }), mergeShape]);
    x = g.op('Add', [x, g.op('MatMul', [context, weight(`${p}.self_attn.o_proj.weight`, [D, D])])]);
    const up = g.op('MatMul', [layerNorm(x, `${p}.post_attention_layernorm`), weight(`${p}.mlp.up_proj.weight`, [D, F])]);
    x = g.op('Add', [x, g.op('MatMul', [g.op('Tanh', [up]), weight(`${p}.mlp.down_proj.weight`, [F, D])])]);
  }
  layerNormTo(g, layerNorm(x, 'model.norm'), JANUS_HIDDEN_STATES);
  g.addOutput(JANUS_HIDDEN_STATES, 'float32', [batch, sequence, D]);
  return g;
}

function layerNormTo(g: OnnxGraphBuilder, value: string, name: string): void {
  g.op('Identity', [value], {}, name);
}
