/**
 * A plain ONNX graph (VQ encoder/decoder, evaluation classifier): named tensors in, named tensors out.
 * Implemented by the ONNX backend; the only contract other code sees.
 */
export type TensorData = Float32Array | BigInt64Array | Int32Array;

export interface NamedTensor {
  readonly type: 'float32' | 'int64' | 'int32';
  readonly data: TensorData;
  readonly dims: readonly number[];
}

export interface TensorGraph {
  /** The file it was loaded from (for error messages). */
  readonly path: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph; feeds must match inputNames exactly (an error lists what is missing or extra). */
  run(feeds: Readonly<Record<string, NamedTensor>>): Promise<Record<string, NamedTensor>>;
  dispose(): Promise<void>;
}
