import { SeededRandom } from '../../core/sampling/seeded-random.ts';
import { intAttr, intsAttr, OnnxGraphBuilder } from '../onnx-graph-builder.ts';
import { validateSyntheticJanusSpec, type SyntheticJanusSpec } from './janus-spec.ts';
import { janusWeights } from './janus-weights.ts';

/** Janus's generation-code embedding width before the aligner (gen_embed: codebook x 8). */
const GEN_EMBED_WIDTH = 8;

/**
 * `gen_img_embeds`: image_ids int64 [B, L] -> inputs_embeds float32 [B, L, D], Janus's gen_embed
 * lookup followed by its aligner MLP, so the next AR step can feed a generated code back.
 */
export function buildJanusGenImgEmbeds(spec: SyntheticJanusSpec): OnnxGraphBuilder {
  validateSyntheticJanusSpec(spec);
  const D = spec.hiddenSize;
  const g = new OnnxGraphBuilder({ name: 'janus-gen-img-embeds' });
  const { weight } = janusWeights(g, spec);
  g.addInput('image_ids', 'int64', ['batch_size', 'sequence_length']);
  const codes = g.op('Gather', [weight('gen_embed.weight', [spec.codebookSize, GEN_EMBED_WIDTH]), 'image_ids'], { axis: intAttr(0) });
  const hidden = g.op('Tanh', [g.op('MatMul', [codes, weight('gen_aligner.layers.0.weight', [GEN_EMBED_WIDTH, D])])]);
  g.op('MatMul', [hidden, weight('gen_aligner.layers.2.weight', [D, D])], {}, 'inputs_embeds');
  g.addOutput('inputs_embeds', 'float32', ['batch_size', 'sequence_length', D]);
  return g;
}

/** Each code's RGB patch [3, patch, patch], uniform in [-1, 1], from the seed alone. */
export function janusDecoderCodebook(spec: SyntheticJanusSpec): Float32Array {
  const rng = new SeededRandom(spec.seed).fork('image_decode.codebook');
  return Float32Array.from({ length: spec.codebookSize * 3 * spec.patchSize * spec.patchSize }, () => 2 * rng.next() - 1);
}

/**
 * `image_decode`: generated_tokens int64 [B, grid^2] (row-major) -> decoded_image float32
 * [B, 3, grid x patch, grid x patch] in [-1, 1]: each code paints its patch.
 */
export function buildJanusImageDecode(spec: SyntheticJanusSpec): OnnxGraphBuilder {
  validateSyntheticJanusSpec(spec);
  const { generationGrid: n, patchSize: p } = spec;
  const side = n * p;
  const g = new OnnxGraphBuilder({ name: 'janus-image-decode' });
  g.addInput('generated_tokens', 'int64', ['batch_size', n * n]);
  const codebook = g.addInitializer('image_decode.codebook', [spec.codebookSize, 3 * p * p], { type: 'float32', data: janusDecoderCodebook(spec) });
  const patches = g.op('Reshape', [g.op('Gather', [codebook, 'generated_tokens'], { axis: intAttr(0) }), g.int64Constant([-1, n, n, 3, p, p])]);
  const planes = g.op('Transpose', [patches], { perm: intsAttr([0, 3, 1, 4, 2, 5]) });
  g.op('Reshape', [planes, g.int64Constant([-1, 3, side, side])], {}, 'decoded_image');
  g.addOutput('decoded_image', 'float32', ['batch_size', 3, side, side]);
  return g;
}
