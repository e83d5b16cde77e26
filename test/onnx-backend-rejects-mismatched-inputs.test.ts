import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { OnnxGraph } from '../src/backends/onnx/onnx-graph.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { intAttr, ONNX_DATA_TYPE, OnnxGraphBuilder } from '../src/synthetic/onnx-graph-builder.ts';
import { writeSyntheticDecoder } from '../src/synthetic/synthetic-decoder.ts';

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('OnnxTransformer and OnnxGraph reject files and feeds that do not match', () => {
  let dir: string;
  let standardPath: string;
  let graphPath: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'omnidecode-reject-'));
    standardPath = join(dir, 'standard.onnx');
    writeSyntheticDecoder({ vocabSize: 16, hiddenSize: 8, numLayers: 1, numHeads: 2, maxPositions: 8,
      seed: 1, maskStyle: 'standard-2d' }, standardPath);
    // A stand-in VQ decoder: codes int64 [B, 2] -> pixels = codes cast to float x 0.5.
    graphPath = join(dir, 'vq-decoder.onnx');
    const g = new OnnxGraphBuilder();
    g.addInput('codes', 'int64', ['batch', 2]);
    g.op('Mul', [g.op('Cast', ['codes'], { to: intAttr(ONNX_DATA_TYPE.float32) }), g.floatConstant([0.5])], {}, 'pixels');
    g.addOutput('pixels', 'float32', ['batch', 2]);
    g.writeFile(graphPath);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing file', async () => {
    const missing = join(dir, 'nope', 'transformer.onnx');
    const error = await rejection(OnnxTransformer.load(missing, { maxPositions: 8 }));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(missing);
    const graphError = await rejection(OnnxGraph.load(join(dir, 'classifier.onnx')));
    expect(graphError).toBeInstanceOf(ModelFileError);
    expect(graphError.message).toContain(join(dir, 'classifier.onnx'));
  });

  it('names a file that is not ONNX', async () => {
    const garbage = join(dir, 'garbage.onnx');
    writeFileSync(garbage, 'not a model');
    const error = await rejection(OnnxGraph.load(garbage));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(garbage);
  });

  it('rejects a standard 2D-mask export where omni attention is required, naming the expected inputs', async () => {
    const error = await rejection(OnnxTransformer.load(standardPath, { maxPositions: 8, requireOmniAttention: true }));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(standardPath);
    expect(error.message).toContain('attention_mask (float32 [batch, 1, length, past + length])');
    expect(error.message).toContain('position_ids');
    // Without the requirement the same file loads, flagged as causal-only.
    const model = await OnnxTransformer.load(standardPath, { maxPositions: 8 });
    expect(model.info.supportsOmniAttention).toBe(false);
    await model.dispose();
  });

  it('rejects a tensor graph as a transformer, listing what is missing and extra', async () => {
    const error = await rejection(OnnxTransformer.load(graphPath, { maxPositions: 8 }));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(graphPath);
    expect(error.message).toMatch(/missing: input_ids, position_ids, attention_mask/);
    expect(error.message).toContain('extra: codes');
  });

  it('rejects a graph whose inputs are not the expected ones', async () => {
    const error = await rejection(OnnxGraph.load(graphPath, { expectedInputs: ['pixels'] }));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(graphPath);
    expect(error.message).toContain('missing: pixels');
    expect(error.message).toContain('extra: codes');
    expect(error.message).toContain('expected: pixels');
    const outputs = await rejection(OnnxGraph.load(graphPath, { expectedInputs: ['codes'], expectedOutputs: ['pixels', 'features'] }));
    expect(outputs.message).toContain('missing: features');
  });

  it('rejects feeds with wrong names and runs the right ones', async () => {
    const graph = await OnnxGraph.load(graphPath, { expectedInputs: ['codes'], expectedOutputs: ['pixels'] });
    const codes = { type: 'int64', data: BigInt64Array.from([2n, 7n]), dims: [1, 2] } as const;
    const error = await rejection(graph.run({ code: codes }));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(graphPath);
    expect(error.message).toContain('missing: codes');
    expect(error.message).toContain('extra: code');
    const extra = await rejection(graph.run({ codes, mask: codes }));
    expect(extra.message).toContain('extra: mask');
    expect(extra.message).not.toContain('missing');

    const out = await graph.run({ codes });
    expect(Object.keys(out)).toEqual(['pixels']);
    expect(out.pixels?.type).toBe('float32');
    expect(out.pixels?.dims).toEqual([1, 2]);
    expect(out.pixels?.data).toEqual(Float32Array.from([1, 3.5]));
    await graph.dispose();
  });
});
