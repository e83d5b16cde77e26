import type { TensorGraph } from './tensor-graph.ts';
import type { Transformer } from './transformer.ts';

/**
 * Where models run: a backend loads the unified transformer and plain graphs (VQ encoder/decoder,
 * classifier) from a model file. The pipeline asks the container for one (TRANSFORMER_BACKEND);
 * the Node layer registers onnxruntime-node (src/backends/onnx/), a browser build would register
 * onnxruntime-web. Nothing else knows which runtime runs the graphs.
 */
export interface TransformerBackend {
  /** For messages and reports, e.g. "onnxruntime-node". */
  readonly name: string;
  /** The decoder with KV cache, checked against what the caller expects of it. */
  loadTransformer(path: string, options?: TransformerLoadOptions): Promise<Transformer>;
  /** A plain graph: named tensors in, named tensors out. */
  loadGraph(path: string, options?: GraphLoadOptions): Promise<TensorGraph>;
}

/**
 * An execution provider by name ("cpu", "cuda", "webgpu", ...), or `{ name, ...options }` with
 * the provider's own options (e.g. `{ name: "cuda", deviceId: 1 }`), passed through as given.
 */
export type ExecutionProviderChoice = string | ExecutionProviderWithOptions;

export interface ExecutionProviderWithOptions {
  readonly name: string;
  readonly [option: string]: unknown;
}

/** How a backend runs a graph; each backend maps these to its own session settings. */
export interface SessionOptions {
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** In order of preference; a backend refuses names its runtime lacks, naming the ones it has. */
  readonly executionProviders?: readonly ExecutionProviderChoice[];
  /**
   * Whether intra-op threads spin (busy-wait) after a run for the next one. The backend's default
   * was chosen by measurement (docs/model-format.md, session options).
   */
  readonly allowSpinning?: boolean;
}

export interface TransformerLoadOptions extends SessionOptions {
  /** Expected layer count; checked against the file's past_key_values inputs. */
  readonly layers?: number;
  /** Used when the file's logits shape does not fix it; otherwise checked against it. */
  readonly vocabSize?: number;
  /** Positions the model embeds. The graph does not expose it, so give it (config.json has it). */
  readonly maxPositions?: number;
  /** KV heads and head size, when the past inputs' shapes are symbolic. */
  readonly numHeads?: number;
  readonly headDim?: number;
  /** Reject a standard 2D-mask export (for callers that need bidirectional image blocks). */
  readonly requireOmniAttention?: boolean;
}

export interface GraphLoadOptions extends SessionOptions {
  /** When given, the file's input names must be exactly these (any order). */
  readonly expectedInputs?: readonly string[];
  /** When given, the file must produce at least these outputs. */
  readonly expectedOutputs?: readonly string[];
}
