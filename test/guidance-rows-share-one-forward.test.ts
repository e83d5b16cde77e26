import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iPrefix, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

async function batches(requests: GenerationRequest[]): Promise<number[]> {
  const model = uniformModel(T.vocabSize);
  const { engine } = createEngine({ model, vocabulary: testVocabulary() });
  await engine.generate(requests);
  return model.forwards.map((forward) => forward.batch);
}

describe('classifier-free guidance rows are batched into one forward', () => {
  it('guidance > 0: every forward carries cond and uncond rows (2x), never a separate uncond forward', async () => {
    expect(await batches([t2iRequest({ unconditional: true, options: { steps: 3, guidance: 2 } })])).toEqual([2, 2, 2, 2]);
    expect(await batches([
      t2iRequest({ words: [3], unconditional: true, options: { steps: 3, guidance: 2 } }),
      t2iRequest({ words: [4], unconditional: true, options: { steps: 3, guidance: 2 } }),
    ])).toEqual([4, 4, 4, 4]);
  });

  it('guidance 0: one row per request, even when an unconditional layout is given', async () => {
    expect(await batches([t2iRequest({ unconditional: true, options: { steps: 3, guidance: 0 } })])).toEqual([1, 1, 1, 1]);
    expect(await batches([t2iRequest({ words: [3], options: { steps: 3 } }), t2iRequest({ words: [4], options: { steps: 3 } })])).toEqual([2, 2, 2, 2]);
  });

  it('rows are ordered cond rows then their uncond twins; uncond rows get the same canvas', async () => {
    const model = uniformModel(T.vocabSize);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    await engine.generate([
      t2iRequest({ words: [3], unconditional: true, options: { steps: 2, guidance: 1 } }),
      t2iRequest({ words: [4], unconditional: true, options: { steps: 2, guidance: 1 } }),
    ]);
    const prefix = model.forwards[0];
    const n = t2iPrefix([]).length;
    const rows = [0, 1, 2, 3].map((row) => Array.from(prefix?.inputIds.subarray(row * n, (row + 1) * n) ?? []));
    expect(rows).toEqual([t2iPrefix([3]), t2iPrefix([4]), t2iPrefix([]), t2iPrefix([])]);
    const second = model.forwards[2];
    const block = (row: number): number[] => Array.from(second?.inputIds.subarray(row * T.gridTokens, (row + 1) * T.gridTokens) ?? []);
    expect(block(2)).toEqual(block(0));
    expect(block(3)).toEqual(block(1));
    expect(block(0)).not.toEqual(block(1));
  });
});
