import { stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { ModelFileError } from '../../core/errors.ts';
import type { SessionOptions } from '../../core/transformer-backend.ts';

/** Opens an ONNX Runtime session on the CPU, naming the file when it is missing or not a valid model. */
export async function createSession(path: string, options: SessionOptions): Promise<ort.InferenceSession> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
  } catch {
    throw new ModelFileError('model file', path, 'an existing ONNX file', `model file not found: ${path}`);
  }
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.intraOpThreads === undefined ? {} : { intraOpNumThreads: options.intraOpThreads }),
    ...(options.interOpThreads === undefined ? {} : { interOpNumThreads: options.interOpThreads }),
  };
  try {
    return await ort.InferenceSession.create(path, sessionOptions);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const failure = new ModelFileError('model file', path, 'a valid ONNX model', `cannot load ONNX model ${path}: ${reason}`);
    failure.cause = error;
    throw failure;
  }
}
