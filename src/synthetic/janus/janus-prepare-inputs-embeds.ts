import { intAttr, intsAttr, OnnxGraphBuilder } from '../onnx-graph-builder.ts';
import { JANUS_IMAGE_SIZE, JANUS_UNDERSTANDING_GRID, validateSyntheticJanusSpec, type SyntheticJanusSpec } from './janus-spec.ts';
import { janusWeights } from './janus-weights.ts';

/**
 * `prepare_inputs_embeds`: input_ids int64 [B, L], pixel_values float32 [b, n, 3, 384, 384],
 * images_seq_mask bool [b, L], images_emb_mask bool [b, n, T] -> inputs_embeds float32 [B, L, D].
 * Text ids are looked up; each image is cut into 4 x 4 patches, each patch's mean colour goes through
 * a small aligner MLP (standing in for SigLIP + aligner), and the kept image embeddings
 * (images_emb_mask) replace the embeddings at the positions images_seq_mask marks, in order, as
 * Janus does. The image inputs' batch may differ from the ids' (transformers.js feeds [0, 0, 3, 384,
 * 384] and [1, 1, 0] masks on steps without images, also under CFG's doubled batch).
 */
export function buildJanusPrepareInputsEmbeds(spec: SyntheticJanusSpec): OnnxGraphBuilder {
  validateSyntheticJanusSpec(spec);
  const D = spec.hiddenSize;
  const S = JANUS_IMAGE_SIZE;
  const grid = JANUS_UNDERSTANDING_GRID;
  const patch = S / grid;
  const g = new OnnxGraphBuilder({ name: 'janus-prepare-inputs-embeds' });
  const { weight } = janusWeights(g, spec);
  g.addInput('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.addInput('pixel_values', 'float32', ['image_batch_size', 'num_images', 3, S, S]);
  g.addInput('images_seq_mask', 'bool', ['image_batch_size', 'sequence_length_or_one']);
  g.addInput('images_emb_mask', 'bool', ['image_batch_size', 'num_images_or_one', 'num_image_tokens']);

  const text = g.op('Gather', [weight('language_model.model.embed_tokens.weight', [spec.textVocabSize, D]), 'input_ids'], { axis: intAttr(0) });
  const flatText = g.op('Reshape', [text, g.int64Constant([-1, D])]);

  // [b*n, 3, grid, patch, grid, patch] -> mean colour of each patch -> [b*n*grid*grid, 3], kept 2D so a
  // zero-image batch (0 rows) runs through plain MatMuls.
  const cut = g.op('Reshape', ['pixel_values', g.int64Constant([-1, 3, grid, patch, grid, patch])]);
  const means = g.op('ReduceMean', [cut], { axes: intsAttr([3, 5]), keepdims: intAttr(0) });
  const colours = g.op('Reshape', [g.op('Transpose', [means], { perm: intsAttr([0, 2, 3, 1]) }), g.int64Constant([-1, 3])]);
  const hidden = g.op('Tanh', [g.op('MatMul', [colours, weight('aligner.layers.0.weight', [3, D])])]);
  const imageEmbeds = g.op('MatMul', [hidden, weight('aligner.layers.2.weight', [D, D])]);
  const kept = g.op('Compress', [imageEmbeds, g.op('Reshape', ['images_emb_mask', g.int64Constant([-1])])], { axis: intAttr(0) });

  const slots = g.op('Transpose', [g.op('NonZero', [g.op('Reshape', ['images_seq_mask', g.int64Constant([-1])])])], { perm: intsAttr([1, 0]) });
  const merged = g.op('ScatterND', [flatText, slots, kept]);
  g.op('Reshape', [merged, g.op('Shape', [text])], {}, 'inputs_embeds');
  g.addOutput('inputs_embeds', 'float32', ['batch_size', 'sequence_length', D]);
  return g;
}
