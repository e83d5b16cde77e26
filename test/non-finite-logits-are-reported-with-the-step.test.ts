import { describe, expect, it } from 'vitest';
import { NonFiniteLogitsError } from '../src/core/errors.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { FakeTransformer } from './support/fake-models.ts';
import { T, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

async function failure(corruptCall: number, value: number, text: boolean): Promise<{ error: unknown; model: FakeTransformer }> {
  const model = new FakeTransformer({ vocabSize: T.vocabSize, fill: () => {}, corrupt: { call: corruptCall, value } });
  const { engine } = createEngine({ model, vocabulary: testVocabulary() });
  const request = text ? textRequest([3], 6, {}, { eos: false }) : t2iRequest({ options: { steps: 5 } });
  const error = await engine.generate(request).then(() => undefined, (caught: unknown) => caught);
  return { error, model };
}

describe('NaN / Inf logits', () => {
  // maskgit: call 0 is the prefix (its logits are not used), call k >= 1 is step k - 1.
  for (const [call, value, step] of [[1, NaN, 0], [3, Infinity, 2], [5, -Infinity, 4]] as const) {
    it(`maskgit: ${value} at forward ${call} is NonFiniteLogitsError at step ${step}, all caches disposed`, async () => {
      const { error, model } = await failure(call, value, false);
      expect(error).toBeInstanceOf(NonFiniteLogitsError);
      expect((error as NonFiniteLogitsError).step).toBe(step);
      expect((error as NonFiniteLogitsError).segment).toBe(1);
      expect((error as Error).message).toMatch(new RegExp(`^non-finite logit ${String(value)} at segment 1, step ${step} \\(flat index \\d+\\)$`));
      expect(model.forwards).toHaveLength(call + 1);
      expect(model.liveCaches()).toEqual([]);
    });
  }

  it('maskgit ignores non-finite prefix logits (they are never used)', async () => {
    const { error } = await failure(0, NaN, false);
    expect(error).toBeUndefined();
  });

  // autoregressive: the prefill predicts step 0, call k predicts step k.
  for (const call of [0, 3]) {
    it(`autoregressive: NaN at forward ${call} is reported at step ${call}`, async () => {
      const { error, model } = await failure(call, NaN, true);
      expect(error).toBeInstanceOf(NonFiniteLogitsError);
      expect((error as NonFiniteLogitsError).step).toBe(call);
      expect((error as Error).message).toContain(`at segment 1, step ${call}`);
      expect(model.liveCaches()).toEqual([]);
    });
  }
});
