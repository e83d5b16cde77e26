import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import type { KeyValueCache } from '../src/core/transformer.ts';
import { writeHuggingFaceDecoder } from '../src/synthetic/synthetic-decoder.ts';

const VOCAB = 48;

/** The engine's [batch, length, past + length] mask: causal, pad columns blocked, a pad row sees itself. */
function engineMask(pads: readonly number[], length: number, past: number): Uint8Array {
  const total = past + length;
  const mask = new Uint8Array(pads.length * length * total);
  pads.forEach((pad, b) => {
    for (let i = 0; i < length; i++) {
      const row = (b * length + i) * total;
      const position = past + i;
      if (position < pad) mask[row + position] = 1;
      else mask.fill(1, row + pad, row + position + 1);
    }
  });
  return mask;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

function row(logits: Float32Array, length: number, b: number, i: number): Float32Array {
  return logits.slice((b * length + i) * VOCAB, (b * length + i + 1) * VOCAB);
}

describe('OnnxTransformer on a standard 2D-mask decoder export', () => {
  let dir: string;
  let model: OnnxTransformer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omnidecode-std-'));
    // The Hugging Face export layout (what transformers.js loads): the graph is onnx/model.onnx.
    writeHuggingFaceDecoder({ vocabSize: VOCAB, hiddenSize: 32, numLayers: 2, numHeads: 4, maxPositions: 24,
      seed: 11, maskStyle: 'standard-2d', weightScale: 0.3 }, dir);
    model = await OnnxTransformer.load(join(dir, 'onnx', 'model.onnx'), { maxPositions: 24 });
  });

  afterAll(async () => {
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a causal-only model with the file vocabulary and layer count', () => {
    expect(model.info).toEqual({ vocabSize: VOCAB, maxPositions: 24, numLayers: 2, supportsOmniAttention: false });
    expect(model.signature.maskRank).toBe(2);
    expect(model.signature.maskType).toBe('int64');
    expect(model.signature.numHeads).toBe(4);
    expect(model.signature.headDim).toBe(8);
    // config.json describes the graph the way transformers.js's llama path reads it.
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      model_type: 'llama', vocab_size: VOCAB, hidden_size: 32, num_hidden_layers: 2,
      num_attention_heads: 4, num_key_value_heads: 4, head_dim: 8, max_position_embeddings: 24,
    });
    const generation = JSON.parse(readFileSync(join(dir, 'generation_config.json'), 'utf8')) as Record<string, unknown>;
    expect(generation).toMatchObject({ bos_token_id: 1, eos_token_id: 2 });
  });

  it('decodes incrementally with the 2D mask to the full forward logits, left padding included', async () => {
    // Row 0: 8 real tokens. Row 1: 3 left pads then 5 real tokens.
    const pads = [0, 3];
    const L = 8;
    const ids = Int32Array.from([4, 9, 15, 16, 23, 42, 7, 1, 0, 0, 0, 33, 12, 5, 40, 2]);
    const positions = Int32Array.from({ length: 2 * L }, (_, i) => i % L);
    const full = await model.forward({ inputIds: ids, positionIds: positions, attentionMask: engineMask(pads, L, 0), batch: 2, length: L });
    full.present.dispose();

    const prefix = 5;
    const take = (from: number, to: number): Int32Array => Int32Array.from([...ids.slice(from, to), ...ids.slice(L + from, L + to)]);
    const head = await model.forward({
      inputIds: take(0, prefix), positionIds: take(0, prefix).map((_, i) => i % prefix),
      attentionMask: engineMask(pads, prefix, 0), batch: 2, length: prefix,
    });
    let cache: KeyValueCache = head.present;
    let worst = 0;
    for (let t = prefix; t < L; t++) {
      const step = await model.forward({
        inputIds: take(t, t + 1), positionIds: Int32Array.from([t, t]),
        attentionMask: engineMask(pads, 1, t), batch: 2, length: 1, past: cache,
      });
      for (let b = 0; b < 2; b++) worst = Math.max(worst, maxAbsDiff(row(step.logits, 1, b, 0), row(full.logits, L, b, t)));
      cache.dispose();
      cache = step.present;
    }
    cache.dispose();
    expect(worst).toBeLessThanOrEqual(1e-4);

    // The padded row's last token equals the same 5 tokens run unpadded at the same positions:
    // the pad columns really are masked out of the 2D mask.
    const alone = await model.forward({
      inputIds: ids.slice(L + 3), positionIds: positions.slice(L + 3), attentionMask: engineMask([0], 5, 0), batch: 1, length: 5,
    });
    alone.present.dispose();
    expect(maxAbsDiff(row(alone.logits, 5, 0, 4), row(full.logits, L, 1, L - 1))).toBeLessThanOrEqual(1e-4);

    // With the pads left visible the same token comes out clearly different.
    const unmasked = await model.forward({
      inputIds: ids.slice(L), positionIds: positions.slice(L), attentionMask: engineMask([0], L, 0), batch: 1, length: L,
    });
    unmasked.present.dispose();
    expect(maxAbsDiff(row(unmasked.logits, L, 0, L - 1), row(full.logits, L, 1, L - 1))).toBeGreaterThan(0.05);
  });
});
