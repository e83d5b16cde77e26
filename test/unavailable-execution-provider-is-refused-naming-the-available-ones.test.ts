import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableExecutionProviders } from '../src/backends/onnx/execution-providers.ts';
import { OnnxGraph } from '../src/backends/onnx/onnx-graph.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { ExecutionProviderError } from '../src/core/errors.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { startCli } from './support/cli-process.ts';

/**
 * Asking for an execution provider this onnxruntime-node build lacks fails before any model is
 * read, with an ExecutionProviderError naming the provider and the ones the build has
 * (listSupportedBackends) — from the API, the pipeline and `--device` alike, nothing written.
 */

const TRANSFORMER = 'models/default/onnx/transformer.onnx';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('an unavailable execution provider', () => {
  const available = availableExecutionProviders().map(({ name }) => name);

  it('is refused by the backend naming the available ones, before the file is read', async () => {
    expect(available).toContain('cpu');
    // A path that does not exist: the provider check comes first, so no file error.
    const error = await rejection(OnnxTransformer.load('/nowhere/model.onnx', { maxPositions: 8, executionProviders: ['no-such-provider'] }));
    expect(error).toBeInstanceOf(ExecutionProviderError);
    expect((error as ExecutionProviderError).provider).toBe('no-such-provider');
    expect((error as ExecutionProviderError).available).toEqual(available);
    for (const name of available) expect(error.message).toContain(name);
    const graphError = await rejection(OnnxGraph.load('/nowhere/graph.onnx', { executionProviders: ['cpu', { name: 'no-such-provider', deviceId: 0 }] }));
    expect(graphError).toBeInstanceOf(ExecutionProviderError);
  });

  it('is refused through the pipeline options too', async () => {
    const error = await rejection(OmnidecodePipeline.load({ threads: 1, executionProviders: ['no-such-provider'] }));
    expect(error).toBeInstanceOf(ExecutionProviderError);
  });

  it('a listed provider that cannot start here is named too (or it runs, where its libraries are installed)', async () => {
    const unbundled = availableExecutionProviders().find(({ bundled }) => !bundled);
    if (unbundled === undefined) return;
    try {
      const model = await OnnxTransformer.load(TRANSFORMER, { maxPositions: 128, executionProviders: [unbundled.name] });
      await model.dispose();
    } catch (error) {
      expect(error).toBeInstanceOf(ExecutionProviderError);
      expect((error as ExecutionProviderError).provider).toBe(unbundled.name);
      expect((error as Error).message).toContain('could not start');
    }
  });

  it('--device names the available providers, exits 1 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omnidecode-device-'));
    try {
      const { code, stderr } = await startCli(['generate', 'a dark sneaker', '--device', 'no-such-provider', '-o', 'out.png'], dir).done;
      expect(code).toBe(1);
      expect(stderr).toContain('execution provider "no-such-provider" is not available');
      for (const name of available) expect(stderr).toContain(name);
      expect(existsSync(join(dir, 'out.png'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
