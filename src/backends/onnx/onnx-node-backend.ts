import type { TensorGraph } from '../../core/tensor-graph.ts';
import type { GraphLoadOptions, TransformerBackend, TransformerLoadOptions } from '../../core/transformer-backend.ts';
import type { Transformer } from '../../core/transformer.ts';
import { OnnxGraph } from './onnx-graph.ts';
import { OnnxTransformer } from './onnx-transformer.ts';

/**
 * The ONNX Runtime backend for Node: files under src/backends/onnx/ are the only ones that import
 * onnxruntime-node. `OnnxTransformer` runs the unified decoder (our omni models with a 4D mask, or
 * a standard decoder-only export with a 2D padding mask); `OnnxGraph` runs plain graphs (VQ
 * encoder/decoder, classifier). The Node layer registers it under TRANSFORMER_BACKEND.
 */
export class OnnxNodeBackend implements TransformerBackend {
  readonly name = 'onnxruntime-node';

  loadTransformer(path: string, options: TransformerLoadOptions = {}): Promise<Transformer> {
    return OnnxTransformer.load(path, options);
  }

  loadGraph(path: string, options: GraphLoadOptions = {}): Promise<TensorGraph> {
    return OnnxGraph.load(path, options);
  }
}
