import { ConfigError } from '../core/errors.ts';
import { SeededRandom } from '../core/sampling/seeded-random.ts';
import { intAttr, intsAttr, OnnxGraphBuilder } from './onnx-graph-builder.ts';

/**
 * A tiny random patch VQ tokenizer with the graph I/O of docs/model-format.md, written as ONNX from
 * TypeScript. The image is cut into an h x w grid of patches; each patch (C x ph x pw values) is a
 * point, the codebook holds K seeded random points in [0, 1]^D. The encoder gives each patch its
 * nearest code, the decoder paints each code's point back: decode then encode gives the same codes.
 */
export interface SyntheticVqSpec {
  /** Side S of the square images. */
  readonly imageSize: number;
  /** Values per pixel: 1 (gray) or 3 (RGB). */
  readonly channels: 1 | 3;
  readonly grid: { readonly height: number; readonly width: number };
  /** K codes. */
  readonly codebookSize: number;
  readonly seed: number | string;
}

interface VqShape {
  readonly C: number;
  readonly S: number;
  readonly h: number;
  readonly w: number;
  readonly ph: number;
  readonly pw: number;
  readonly D: number;
  readonly K: number;
}

function shapeOf(spec: SyntheticVqSpec): VqShape {
  const { imageSize: S, channels: C, grid: { height: h, width: w }, codebookSize: K } = spec;
  for (const [field, value] of [['imageSize', S], ['grid.height', h], ['grid.width', w], ['codebookSize', K]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`synthetic vq ${field}`, value, 'an integer >= 1');
  }
  if (C !== 1 && C !== 3) throw new ConfigError('synthetic vq channels', C, '1 or 3');
  if (S % h !== 0 || S % w !== 0) throw new ConfigError('synthetic vq imageSize', S, `a multiple of the grid's height ${h} and width ${w}`);
  const ph = S / h;
  const pw = S / w;
  return { C, S, h, w, ph, pw, D: C * ph * pw, K };
}

/** The codebook [K, D], uniform in [0, 1], from the seed alone. */
export function syntheticCodebook(spec: SyntheticVqSpec): Float32Array {
  const { D, K } = shapeOf(spec);
  const rng = new SeededRandom(spec.seed).fork('vq.codebook');
  return Float32Array.from({ length: K * D }, () => rng.next());
}

/** `pixels` float32 [B, C, S, S] -> `codes` int64 [B, h, w]: the nearest code of each patch. */
export function buildSyntheticVqEncoder(spec: SyntheticVqSpec): OnnxGraphBuilder {
  const { C, S, h, w, ph, pw, D, K } = shapeOf(spec);
  const codebook = syntheticCodebook(spec);
  const g = new OnnxGraphBuilder({ name: 'synthetic-vq-encoder' });
  g.addInput('pixels', 'float32', ['batch_size', C, S, S]);
  const patches = g.op('Reshape', [
    g.op('Transpose', [g.op('Reshape', ['pixels', g.int64Constant([-1, C, h, ph, w, pw])])], { perm: intsAttr([0, 2, 4, 1, 3, 5]) }),
    g.int64Constant([-1, h, w, D]),
  ]);
  // argmin |x - e|^2 = argmax (x.e - |e|^2 / 2).
  const transposed = new Float32Array(D * K);
  const halfNorms = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    let norm = 0;
    for (let d = 0; d < D; d++) {
      const value = codebook[k * D + d] as number;
      transposed[d * K + k] = value;
      norm += value * value;
    }
    halfNorms[k] = norm / 2;
  }
  const codebookT = g.addInitializer('vq.codebook_t', [D, K], { type: 'float32', data: transposed });
  const norms = g.addInitializer('vq.half_norms', [K], { type: 'float32', data: halfNorms });
  const scores = g.op('Sub', [g.op('MatMul', [patches, codebookT]), norms]);
  g.op('ArgMax', [scores], { axis: intAttr(-1), keepdims: intAttr(0) }, 'codes');
  g.addOutput('codes', 'int64', ['batch_size', h, w]);
  return g;
}

/** `codes` int64 [B, h, w] -> `pixels` float32 [B, C, S, S]: each code's patch. */
export function buildSyntheticVqDecoder(spec: SyntheticVqSpec): OnnxGraphBuilder {
  const { C, S, h, w, ph, pw, D } = shapeOf(spec);
  const g = new OnnxGraphBuilder({ name: 'synthetic-vq-decoder' });
  g.addInput('codes', 'int64', ['batch_size', h, w]);
  const codebook = g.addInitializer('vq.codebook', [spec.codebookSize, D], { type: 'float32', data: syntheticCodebook(spec) });
  const patches = g.op('Reshape', [g.op('Gather', [codebook, 'codes'], { axis: intAttr(0) }), g.int64Constant([-1, h, w, C, ph, pw])]);
  const planes = g.op('Transpose', [patches], { perm: intsAttr([0, 3, 1, 4, 2, 5]) });
  g.op('Reshape', [planes, g.int64Constant([-1, C, S, S])], {}, 'pixels');
  g.addOutput('pixels', 'float32', ['batch_size', C, S, S]);
  return g;
}
