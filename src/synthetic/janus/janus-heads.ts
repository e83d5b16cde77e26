import { OnnxGraphBuilder } from '../onnx-graph-builder.ts';
import { JANUS_HIDDEN_STATES } from './janus-io-names.ts';
import { validateSyntheticJanusSpec, type SyntheticJanusSpec } from './janus-spec.ts';
import { janusWeights } from './janus-weights.ts';

/** `lm_head`: hidden_states float32 [B, L, D] -> logits [B, L, textVocabSize] (one linear map). */
export function buildJanusLmHead(spec: SyntheticJanusSpec): OnnxGraphBuilder {
  validateSyntheticJanusSpec(spec);
  const g = new OnnxGraphBuilder({ name: 'janus-lm-head' });
  const { weight } = janusWeights(g, spec);
  g.addInput(JANUS_HIDDEN_STATES, 'float32', ['batch_size', 'sequence_length', spec.hiddenSize]);
  g.op('MatMul', [JANUS_HIDDEN_STATES, weight('lm_head.weight', [spec.hiddenSize, spec.textVocabSize])], {}, 'logits');
  g.addOutput('logits', 'float32', ['batch_size', 'sequence_length', spec.textVocabSize]);
  return g;
}

/**
 * `gen_head`: hidden_states [B, L, D] -> logits [B, L, codebookSize], Janus's two-layer MLP
 * (linear, nonlinearity, linear) over the image codebook.
 */
export function buildJanusGenHead(spec: SyntheticJanusSpec): OnnxGraphBuilder {
  validateSyntheticJanusSpec(spec);
  const D = spec.hiddenSize;
  const g = new OnnxGraphBuilder({ name: 'janus-gen-head' });
  const { weight } = janusWeights(g, spec);
  g.addInput(JANUS_HIDDEN_STATES, 'float32', ['batch_size', 'sequence_length', D]);
  const hidden = g.op('Tanh', [g.op('MatMul', [JANUS_HIDDEN_STATES, weight('gen_head.output_mlp_projector.weight', [D, D])])]);
  g.op('MatMul', [hidden, weight('gen_head.vision_head.weight', [D, spec.codebookSize])], {}, 'logits');
  g.addOutput('logits', 'float32', ['batch_size', 'sequence_length', spec.codebookSize]);
  return g;
}
