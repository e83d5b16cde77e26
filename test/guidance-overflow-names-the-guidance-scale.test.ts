import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import { ConfigError } from '../src/core/errors.ts';
import { applyClassifierFreeGuidance } from '../src/core/sampling/classifier-free-guidance.ts';
import { guidanceModel } from './support/fake-models.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

describe('logits that only guidance made infinite are reported as a guidance problem', () => {
  it('names guidance and w when finite cond and uncond combine to a non-finite logit', () => {
    const data = new Float32Array([1e37, 0, /* uncond: */ -1e37, 0]);
    let error: unknown;
    try {
      applyClassifierFreeGuidance(data, 0, 2, 2, 50, 'show-o');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).what).toBe('guidance');
    expect((error as ConfigError).got).toBe(50);
    expect((error as ConfigError).message).toContain('after classifier-free guidance was applied (guidance w = 50, show-o form)');
  });

  it('leaves -Infinity in both rows, and -Infinity in cond only, alone', () => {
    const data = new Float32Array([-Infinity, -Infinity, 2, /* uncond: */ -Infinity, 1, 1]);
    applyClassifierFreeGuidance(data, 0, 3, 3, 2, 'show-o');
    expect(Array.from(data.subarray(0, 3))).toEqual([-Infinity, -Infinity, 4]);
  });

  it('reaches the caller of the engine as the same ConfigError', async () => {
    // Huge but finite model logits: the engine's raw-logit check passes, guidance w = 100 overflows.
    const model = guidanceModel({ vocabSize: T.vocabSize, marker: 3, offset: T.imageOffset, cond: [3e37, 0], uncond: [-3e37, 0] });
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const request = t2iRequest({ words: [3], unconditional: true, options: { steps: 1, guidance: 100, sampler: { draw: 'greedy' } } });
    await expect(engine.generate(request, { seed: 1 })).rejects.toThrow(/guidance w = 100/);
  });
});
