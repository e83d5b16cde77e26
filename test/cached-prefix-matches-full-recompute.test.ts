import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { positionsFrom, RecomputeCheckingTransformer, ReferenceTransformer } from './support/reference-transformer.ts';
import { PROMPT_LENGTH, T, t2iPrefix, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

const CONFIG = { vocabSize: T.vocabSize, maxPositions: 40, hiddenSize: 16, numHeads: 2, numLayers: 2, seed: 'reference' } as const;

/**
 * The omni-attention rule for one row, written out independently of src: a pad row sees only
 * itself, pad columns are blocked, otherwise causal plus full visibility inside [blockStart, blockEnd).
 */
function omniMask(ids: ArrayLike<number>, blockStart = -1, blockEnd = -1): Uint8Array {
  const n = ids.length;
  const mask = new Uint8Array(n * n);
  const inBlock = (i: number): boolean => i >= blockStart && i < blockEnd;
  for (let q = 0; q < n; q++) {
    for (let k = 0; k < n; k++) {
      const padQ = ids[q] === T.pad;
      const padK = ids[k] === T.pad;
      const allowed = padQ ? q === k : !padK && (k <= q || (inBlock(q) && inBlock(k)));
      mask[q * n + k] = allowed ? 1 : 0;
    }
  }
  return mask;
}

/** Rows [from, to) of a square mask over keys [0, to). */
function maskRows(mask: Uint8Array, n: number, from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from) * to);
  for (let q = from; q < to; q++) for (let k = 0; k < to; k++) out[(q - from) * to + k] = mask[q * n + k] as number;
  return out;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('the reference transformer\'s KV cache is exact', () => {
  const model = new ReferenceTransformer(CONFIG);
  const prefix = t2iPrefix([4, 5]); // 7 tokens: pads, <|t2i|>, <|bos|>, words, <|eos|>, <|soi|>
  const image = [T.imageOffset + 3, T.mask, T.mask, T.imageOffset + 9, T.mask, T.mask, T.imageOffset + 1, T.mask, T.mask];
  const ids = [...prefix, ...image];
  const n = ids.length;
  const P = prefix.length;
  const full = omniMask(ids, P, n);

  function run(inputIds: number[], start: number, mask: Uint8Array, past?: ReturnType<ReferenceTransformer['forwardSync']>['present']) {
    return model.forwardSync({
      inputIds: Int32Array.from(inputIds), positionIds: positionsFrom(start, 1, inputIds.length), attentionMask: mask,
      batch: 1, length: inputIds.length, ...(past ? { past } : {}),
    });
  }

  it('MaskGIT block after a cached prefix gives the logits of recomputing the whole sequence', () => {
    const whole = run(ids, 0, full);
    const cachedPrefix = run(prefix, 0, maskRows(full, n, 0, P));
    const block = run(image, P, maskRows(full, n, P, n), cachedPrefix.present);
    expect(block.present.length).toBe(n);
    expect(maxDiff(block.logits, whole.logits.subarray(P * T.vocabSize))).toBeLessThanOrEqual(1e-4);
    // The same cached prefix serves a changed block (the next MaskGIT step) just as exactly.
    const changed = image.map((id, i) => (id === T.mask && i % 2 === 0 ? T.imageOffset + i : id));
    const wholeChanged = run([...prefix, ...changed], 0, full);
    const blockChanged = run(changed, P, maskRows(full, n, P, n), cachedPrefix.present);
    expect(maxDiff(blockChanged.logits, wholeChanged.logits.subarray(P * T.vocabSize))).toBeLessThanOrEqual(1e-4);
    // The prefix's logits do not depend on the image (soi is causal), so caching it is exact.
    expect(maxDiff(whole.logits.subarray(0, P * T.vocabSize), wholeChanged.logits.subarray(0, P * T.vocabSize))).toBe(0);
  });

  it('appending one token at a time after a cached prefix gives the logits of recomputing (AR)', () => {
    const text = [T.bos, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const causal = omniMask(text);
    const whole = run(text, 0, causal);
    let step = run(text.slice(0, 4), 0, maskRows(causal, text.length, 0, 4));
    expect(maxDiff(step.logits, whole.logits.subarray(0, 4 * T.vocabSize))).toBeLessThanOrEqual(1e-4);
    for (let p = 4; p < text.length; p++) {
      const next = run([text[p] as number], p, maskRows(causal, text.length, p, p + 1), step.present);
      expect(next.present.length).toBe(p + 1);
      expect(maxDiff(next.logits, whole.logits.subarray(p * T.vocabSize, (p + 1) * T.vocabSize))).toBeLessThanOrEqual(1e-4);
      step = next;
    }
  });

  it('honours the mask: a bidirectional block gives other logits than a causal one', () => {
    const bidirectional = run(ids, 0, full);
    const causal = run(ids, 0, omniMask(ids));
    expect(maxDiff(bidirectional.logits.subarray(P * T.vocabSize), causal.logits.subarray(P * T.vocabSize))).toBeGreaterThan(1e-2);
    // ... while the prefix, which sees the same keys under both masks, agrees exactly.
    expect(maxDiff(bidirectional.logits.subarray(0, P * T.vocabSize), causal.logits.subarray(0, P * T.vocabSize))).toBe(0);
  });
});

describe('the engine\'s cached decoding equals full recomputation (reference transformer)', () => {
  it('maskgit with CFG rows: every block forward matches a full recompute with the omni mask', async () => {
    const imageStart = PROMPT_LENGTH + 1;
    const checking = new RecomputeCheckingTransformer(new ReferenceTransformer(CONFIG), (_row, ids) => omniMask(ids, imageStart, imageStart + T.gridTokens));
    const { engine } = createEngine({ model: checking, vocabulary: testVocabulary() });
    const request = t2iRequest({ words: [4, 5], unconditional: true, options: { steps: 4, guidance: 1.5 }, eoi: false });
    const result = await engine.generate(request, { seed: 2 });
    expect(checking.checkedForwards).toBe(4);
    expect(checking.maxDifference).toBeLessThanOrEqual(1e-4);
    expect(result.rows[0]?.segments[1]?.tokens.every((id) => id >= T.imageOffset && id < T.imageOffset + T.codebook)).toBe(true);
  });

  it('autoregressive text: every one-token forward matches a full recompute', async () => {
    const checking = new RecomputeCheckingTransformer(new ReferenceTransformer(CONFIG), (_row, ids) => omniMask(ids));
    const { engine } = createEngine({ model: checking, vocabulary: testVocabulary() });
    const request: GenerationRequest = {
      segments: [
        { type: 'tokens', ids: [T.pad, T.pad, T.bos, 3, 4] },
        { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 8, stop: { eos: false } },
      ],
    };
    await engine.generate(request, { seed: 3 });
    expect(checking.checkedForwards).toBe(7);
    expect(checking.maxDifference).toBeLessThanOrEqual(1e-4);
  });

  it('autoregressive text, a batch of two rows with different padding: every forward matches', async () => {
    const checking = new RecomputeCheckingTransformer(new ReferenceTransformer(CONFIG), (_row, ids) => omniMask(ids));
    const { engine } = createEngine({ model: checking, vocabulary: testVocabulary() });
    const answer = { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 6, stop: { eos: false } } as const;
    await engine.generate([
      { segments: [{ type: 'tokens', ids: [T.pad, T.pad, T.bos, 3, 4] }, answer] },
      { segments: [{ type: 'tokens', ids: [T.bos, 5, 6, 7, 8] }, answer] },
    ], { seed: 5 });
    expect(checking.checkedForwards).toBe(5);
    expect(checking.maxDifference).toBeLessThanOrEqual(1e-4);
  });

  it('autoregressive image (causal image mode) after a prompt: every forward matches', async () => {
    const checking = new RecomputeCheckingTransformer(new ReferenceTransformer(CONFIG), (_row, ids) => omniMask(ids));
    const { engine } = createEngine({ model: checking, vocabulary: testVocabulary() });
    await engine.generate(t2iRequest({ scheduler: 'autoregressive', options: {}, eoi: false }), { seed: 4 });
    expect(checking.checkedForwards).toBe(T.gridTokens - 1);
    expect(checking.maxDifference).toBeLessThanOrEqual(1e-4);
  });
});
