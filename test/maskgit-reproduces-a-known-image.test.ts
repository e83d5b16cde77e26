import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { knownImageModel } from './support/fake-models.ts';
import { PROMPT_LENGTH, T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

const IMAGE_START = PROMPT_LENGTH + 1; // after the padded prompt and <|soi|>
const TARGET = [4, 11, 0, 15, 7, 7, 2, 9, 13];

describe('maskgit on a model that knows the image', () => {
  it('reproduces the target image and commits the most confident positions first', async () => {
    // Confidence grows with the position: the target's logit is 2 + position / 2 (others 0).
    const model = knownImageModel({ vocabSize: T.vocabSize, imageStart: IMAGE_START, imageOffset: T.imageOffset, target: TARGET, strength: (p) => 2 + p / 2 });
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const events: StepEvent[] = [];
    const result = await engine.generate(
      t2iRequest({ options: { steps: 3, choiceTemperature: 0, sampler: { draw: 'greedy' } } }),
      { onStep: (event) => events.push(event) },
    );
    const image = result.rows[0]?.segments[1];
    expect(Array.from(image?.tokens ?? [])).toEqual(TARGET.map((code) => T.imageOffset + code));
    expect(Array.from(result.rows[0]?.tokens ?? []).slice(IMAGE_START - 1)).toEqual([T.soi, ...TARGET.map((code) => T.imageOffset + code), T.eoi]);
    // Cosine, 9 tokens, 3 steps: keep 7 then 4 masked -> commit 2, 3, 4, highest logits first.
    expect(events.map((event) => [...(event.committed[0] ?? [])].sort((a, b) => a - b))).toEqual([[7, 8], [4, 5, 6], [0, 1, 2, 3]]);
    // The preview is the full guess every step.
    expect(Array.from(events[0]?.preview ?? [])).toEqual(TARGET.map((code) => T.imageOffset + code));
  });

  it('reproduces it with categorical draws and Gumbel noise too when the model is certain', async () => {
    const model = knownImageModel({ vocabSize: T.vocabSize, imageStart: IMAGE_START, imageOffset: T.imageOffset, target: TARGET });
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    for (const seed of [1, 2, 3]) {
      const result = await engine.generate(t2iRequest({ options: { steps: 4, choiceTemperature: 4.5 } }), { seed });
      expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual(TARGET.map((code) => T.imageOffset + code));
    }
  });
});
