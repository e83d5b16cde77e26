import { stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { ModelFileError } from '../../core/errors.ts';
import type { SessionOptions } from '../../core/transformer-backend.ts';
import { checkExecutionProviders, DEFAULT_EXECUTION_PROVIDERS, providerStartFailure } from './execution-providers.ts';

/**
 * Whether intra-op threads spin after a run when nothing says: off, by measurement on the embedded
 * model (docs/model-format.md, "Session options"): between forwards the JavaScript sampler runs,
 * and spinning threads take the cores it needs.
 */
export const DEFAULT_ALLOW_SPINNING = false;

/** onnxruntime's session settings for ours: providers, threads, spinning (a session config entry). */
export function ortSessionOptions(options: SessionOptions): ort.InferenceSession.SessionOptions {
  const spinning = options.allowSpinning ?? DEFAULT_ALLOW_SPINNING;
  return {
    executionProviders: [...(options.executionProviders ?? DEFAULT_EXECUTION_PROVIDERS)] as ort.InferenceSession.ExecutionProviderConfig[],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.intraOpThreads === undefined ? {} : { intraOpNumThreads: options.intraOpThreads }),
    ...(options.interOpThreads === undefined ? {} : { interOpNumThreads: options.interOpThreads }),
    extra: { 'session.intra_op.allow_spinning': spinning ? '1' : '0', 'session.inter_op.allow_spinning': spinning ? '1' : '0' },
  };
}

/**
 * Opens an ONNX Runtime session, naming the file when it is missing or not a valid model. Providers
 * are checked first, so asking for one this build lacks fails before anything is read.
 */
export async function createSession(path: string, options: SessionOptions): Promise<ort.InferenceSession> {
  const providers = options.executionProviders ?? DEFAULT_EXECUTION_PROVIDERS;
  checkExecutionProviders(providers);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
  } catch {
    throw new ModelFileError('model file', path, 'an existing ONNX file', `model file not found: ${path}`);
  }
  try {
    return await ort.InferenceSession.create(path, ortSessionOptions(options));
  } catch (error) {
    const providerFailure = providerStartFailure(error, providers);
    if (providerFailure !== undefined) throw providerFailure;
    const reason = error instanceof Error ? error.message : String(error);
    const failure = new ModelFileError('model file', path, 'a valid ONNX model', `cannot load ONNX model ${path}: ${reason}`);
    failure.cause = error;
    throw failure;
  }
}
