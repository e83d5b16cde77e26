import * as ort from 'onnxruntime-node';
import { InvalidRequestError, ModelFileError } from '../../core/errors.ts';
import type { NamedTensor, TensorGraph } from '../../core/tensor-graph.ts';
import type { GraphLoadOptions } from '../../core/transformer-backend.ts';
import { inputMismatch, nameDifference } from './onnx-name-check.ts';
import { createSession } from './onnx-session.ts';

export type OnnxGraphOptions = GraphLoadOptions;

/** A plain graph: named tensors in, named tensors out. */
export class OnnxGraph implements TensorGraph {
  readonly path: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly session: ort.InferenceSession;
  private released = false;

  private constructor(path: string, session: ort.InferenceSession) {
    this.path = path;
    this.session = session;
    this.inputNames = [...session.inputNames];
    this.outputNames = [...session.outputNames];
  }

  static async load(path: string, options: OnnxGraphOptions = {}): Promise<OnnxGraph> {
    const session = await createSession(path, options);
    const { expectedInputs, expectedOutputs } = options;
    const inputs = session.inputNames;
    const outputs = session.outputNames;
    let failure: ModelFileError | undefined;
    if (expectedInputs !== undefined) {
      const { missing, extra } = nameDifference(inputs, expectedInputs);
      if (missing.length > 0 || extra.length > 0) failure = inputMismatch(path, 'graph inputs', inputs, expectedInputs);
    }
    if (failure === undefined && expectedOutputs !== undefined) {
      const { missing } = nameDifference(outputs, expectedOutputs);
      if (missing.length > 0) {
        failure = new ModelFileError('graph outputs', outputs, `outputs ${expectedOutputs.join(', ')}`,
          `${path}: graph outputs missing: ${missing.join(', ')}; expected: ${expectedOutputs.join(', ')}`);
      }
    }
    if (failure !== undefined) {
      await session.release();
      throw failure;
    }
    return new OnnxGraph(path, session);
  }

  async run(feeds: Readonly<Record<string, NamedTensor>>): Promise<Record<string, NamedTensor>> {
    if (this.released) throw new InvalidRequestError('graph', this.path, 'a graph not yet disposed');
    const names = Object.keys(feeds);
    const { missing, extra } = nameDifference(names, this.inputNames);
    if (missing.length > 0 || extra.length > 0) throw inputMismatch(this.path, 'graph feeds', names, this.inputNames);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(tensor.type, tensor.data, tensor.dims);
    const results = await this.session.run(ortFeeds);
    const out: Record<string, NamedTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      const { type } = value;
      if (type !== 'float32' && type !== 'int64' && type !== 'int32') {
        throw new ModelFileError(`output ${name} type`, type, 'float32, int64 or int32', `${this.path}: output ${name} is ${type}, expected float32, int64 or int32`);
      }
      out[name] = { type, data: value.data as NamedTensor['data'], dims: [...value.dims] };
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}
