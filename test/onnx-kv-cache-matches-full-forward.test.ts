import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import type { KeyValueCache } from '../src/core/transformer.ts';
import { writeSyntheticDecoder } from '../src/synthetic/synthetic-decoder.ts';

const VOCAB = 64;
const TOKENS = [5, 17, 3, 42, 8, 61, 22, 9, 30, 14];

/** [batch, length, past + length] mask: row i sees past columns and current columns 0..i. */
function causalMask(batch: number, length: number, past: number): Uint8Array {
  const total = past + length;
  const mask = new Uint8Array(batch * length * total);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < length; i++) mask.fill(1, (b * length + i) * total, (b * length + i) * total + past + i + 1);
  }
  return mask;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

/** Logits of rows [from, to) of one batch row of a [batch, length, vocab] result. */
function rows(logits: Float32Array, length: number, batchRow: number, from: number, to: number): Float32Array {
  return logits.slice((batchRow * length + from) * VOCAB, (batchRow * length + to) * VOCAB);
}

describe('OnnxTransformer KV cache', () => {
  let dir: string;
  let model: OnnxTransformer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omnidecode-kv-'));
    const path = join(dir, 'transformer.onnx');
    // A large weight scale makes attention peaky, so a wrong cache or mask moves the logits a lot.
    writeSyntheticDecoder({ vocabSize: VOCAB, hiddenSize: 32, numLayers: 2, numHeads: 2, maxPositions: 32,
      seed: 'kv-cache', maskStyle: 'omni-4d', weightScale: 0.3 }, path);
    model = await OnnxTransformer.load(path, { maxPositions: 32, layers: 2, vocabSize: VOCAB });
  });

  afterAll(async () => {
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the full forward logits when decoding a prefix then one token at a time', async () => {
    const batch = 2;
    const L = TOKENS.length;
    // Row 1 is row 0 reversed so the two batch rows differ.
    const ids = Int32Array.from([...TOKENS, ...[...TOKENS].reverse()]);
    const positions = Int32Array.from({ length: batch * L }, (_, i) => i % L);
    const full = await model.forward({ inputIds: ids, positionIds: positions, attentionMask: causalMask(batch, L, 0), batch, length: L });
    full.present.dispose();
    expect(full.vocabSize).toBe(VOCAB);
    expect(full.logits.length).toBe(batch * L * VOCAB);

    const prefix = 4;
    const pick = (from: number, to: number): Int32Array =>
      Int32Array.from([...ids.slice(from, to), ...ids.slice(L + from, L + to)]);
    const first = await model.forward({
      inputIds: pick(0, prefix), positionIds: pick(0, prefix).map((_, i) => i % prefix),
      attentionMask: causalMask(batch, prefix, 0), batch, length: prefix,
    });
    expect(first.present.length).toBe(prefix);
    expect(first.present.batch).toBe(batch);
    for (let b = 0; b < batch; b++) {
      expect(maxAbsDiff(rows(first.logits, prefix, b, 0, prefix), rows(full.logits, L, b, 0, prefix))).toBeLessThanOrEqual(1e-4);
    }

    let cache: KeyValueCache = first.present;
    let worstDiff = 0;
    for (let t = prefix; t < L; t++) {
      const step = await model.forward({
        inputIds: pick(t, t + 1), positionIds: Int32Array.from([t, t]),
        attentionMask: causalMask(batch, 1, t), batch, length: 1, past: cache,
      });
      expect(step.present.length).toBe(t + 1);
      for (let b = 0; b < batch; b++) {
        worstDiff = Math.max(worstDiff, maxAbsDiff(rows(step.logits, 1, b, 0, 1), rows(full.logits, L, b, t, t + 1)));
      }
      cache.dispose();
      cache = step.present;
    }
    cache.dispose();
    expect(worstDiff).toBeLessThanOrEqual(1e-4);

    // Sensitivity: the last token decoded without its past must differ clearly, or the check above proves nothing.
    const alone = await model.forward({
      inputIds: pick(L - 1, L), positionIds: Int32Array.from([L - 1, L - 1]), attentionMask: causalMask(batch, 1, 0), batch, length: 1,
    });
    alone.present.dispose();
    expect(maxAbsDiff(rows(alone.logits, 1, 0, 0, 1), rows(full.logits, L, 0, L - 1, L))).toBeGreaterThan(0.05);
  });

  it('gives a bidirectional block the full-sequence logits when its prefix comes from the cache', async () => {
    const prefix = 5;
    const block = 4;
    const L = prefix + block;
    const ids = Int32Array.from(TOKENS.slice(0, L));
    const positions = Int32Array.from({ length: L }, (_, i) => i);
    // Causal base; the block rows also see every block column (the MaskGIT image block).
    const bidirectional = causalMask(1, L, 0);
    for (let i = prefix; i < L; i++) bidirectional.fill(1, i * L + prefix, i * L + L);

    const full = await model.forward({ inputIds: ids, positionIds: positions, attentionMask: bidirectional, batch: 1, length: L });
    full.present.dispose();

    const head = await model.forward({
      inputIds: ids.slice(0, prefix), positionIds: positions.slice(0, prefix), attentionMask: causalMask(1, prefix, 0), batch: 1, length: prefix,
    });
    const blockStep = await model.forward({
      inputIds: ids.slice(prefix), positionIds: positions.slice(prefix),
      attentionMask: new Uint8Array(block * L).fill(1), batch: 1, length: block, past: head.present,
    });
    // The caller's past stays usable: forward does not consume it.
    expect(head.present.length).toBe(prefix);
    head.present.dispose();
    blockStep.present.dispose();
    expect(maxAbsDiff(blockStep.logits, rows(full.logits, L, 0, prefix, L))).toBeLessThanOrEqual(1e-4);

    // The same block under a causal mask must come out different: the mask is really applied.
    const causal = await model.forward({ inputIds: ids, positionIds: positions, attentionMask: causalMask(1, L, 0), batch: 1, length: L });
    causal.present.dispose();
    expect(maxAbsDiff(rows(causal.logits, L, 0, prefix, L - 1), rows(full.logits, L, 0, prefix, L - 1))).toBeGreaterThan(0.05);
  });
});
