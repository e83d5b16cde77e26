import { floatAttr, intAttr, type OnnxGraphBuilder } from '../onnx-graph-builder.ts';
import { normalWeights } from '../synthetic-decoder.ts';
import type { SyntheticJanusSpec } from './janus-spec.ts';

/** Seeded random weights and LayerNorms for one Janus graph; each tensor depends only on seed and name. */
export interface JanusWeights {
  weight(name: string, dims: readonly number[]): string;
  layerNorm(x: string, prefix: string): string;
}

export function janusWeights(g: OnnxGraphBuilder, spec: SyntheticJanusSpec): JanusWeights {
  const scale = spec.weightScale ?? 0.3;
  const D = spec.hiddenSize;
  const weight = (name: string, dims: readonly number[]): string =>
    g.addInitializer(name, dims, { type: 'float32', data: normalWeights(spec.seed, name, dims.reduce((a, b) => a * b, 1), scale) });
  const filled = (name: string, value: number): string =>
    g.addInitializer(name, [D], { type: 'float32', data: () => new Float32Array(D).fill(value) });
  const layerNorm = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, filled(`${prefix}.weight`, 1), filled(`${prefix}.bias`, 0)], { axis: intAttr(-1), epsilon: floatAttr(1e-5) });
  return { weight, layerNorm };
}
