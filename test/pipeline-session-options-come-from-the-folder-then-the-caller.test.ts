import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { OnnxNodeBackend } from '../src/backends/onnx/onnx-node-backend.ts';
import { TRANSFORMER_BACKEND } from '../src/core/injection-tokens.ts';
import type { GraphLoadOptions, SessionOptions, TransformerBackend, TransformerLoadOptions } from '../src/core/transformer-backend.ts';
import { createNodeSchedulerContainer } from '../src/node/node-scheduler-container.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';

/**
 * The pipeline hands every graph it loads the model folder's session settings (the embedded
 * model's config.json: one intra-op thread, no spinning), overridden field by field by the caller's.
 */

class RecordingBackend implements TransformerBackend {
  readonly name = 'recording onnxruntime-node';
  readonly sessions: SessionOptions[] = [];
  private readonly inner = new OnnxNodeBackend();
  private record(options: SessionOptions): void {
    const { intraOpThreads, allowSpinning, executionProviders } = options;
    this.sessions.push({
      ...(intraOpThreads === undefined ? {} : { intraOpThreads }), ...(allowSpinning === undefined ? {} : { allowSpinning }),
      ...(executionProviders === undefined ? {} : { executionProviders }),
    });
  }
  loadTransformer(path: string, options: TransformerLoadOptions = {}): ReturnType<TransformerBackend['loadTransformer']> {
    this.record(options);
    return this.inner.loadTransformer(path, options);
  }
  loadGraph(path: string, options: GraphLoadOptions = {}): ReturnType<TransformerBackend['loadGraph']> {
    this.record(options);
    return this.inner.loadGraph(path, options);
  }
}

async function sessionsFor(options: Parameters<typeof OmnidecodePipeline.load>[0]): Promise<SessionOptions[]> {
  const { container } = createNodeSchedulerContainer();
  const backend = new RecordingBackend();
  container.register(TRANSFORMER_BACKEND, { useValue: backend });
  const pipeline = await OmnidecodePipeline.load({ ...options, container });
  await pipeline.dispose();
  return backend.sessions;
}

describe('pipeline session options', () => {
  it("come from the model folder's config.json", async () => {
    const sessions = await sessionsFor({});
    expect(sessions).toHaveLength(3);
    for (const session of sessions) expect(session).toEqual({ intraOpThreads: 1, allowSpinning: false });
  });

  it("the caller's override them field by field", async () => {
    const sessions = await sessionsFor({ threads: 2, executionProviders: ['cpu'] });
    for (const session of sessions) expect(session).toEqual({ intraOpThreads: 2, allowSpinning: false, executionProviders: ['cpu'] });
  });
});
