import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

describe('maskgit never changes a known token', () => {
  it('keeps every token from the step it is committed (or given) to the end', async () => {
    // Uniform logits: every draw is random, so a re-drawn known token would almost surely change.
    const { engine } = createEngine({ model: uniformModel(T.vocabSize), vocabulary: testVocabulary() });
    const known = [-1, 5, -1, -1, 12, -1, -1, -1, 0, -1, -1, -1, 3, -1, -1, -1];
    for (const seed of [11, 12, 13]) {
      const events: StepEvent[] = [];
      const result = await engine.generate(t2iRequest({ length: 16, known, options: { steps: 8, choiceTemperature: 3 } }), { seed, onStep: (event) => events.push(event) });
      const final = Array.from(result.rows[0]?.segments[1]?.tokens ?? []);
      let previous = known.map((code) => (code === -1 ? T.mask : T.imageOffset + code));
      for (const event of events) {
        const canvas = Array.from(event.canvas);
        previous.forEach((id, position) => {
          if (id !== T.mask) expect(canvas[position]).toBe(id);
        });
        // Preview equals the committed token wherever one exists.
        canvas.forEach((id, position) => {
          if (id !== T.mask) expect(event.preview[position]).toBe(id);
        });
        previous = canvas;
      }
      expect(final).toEqual(previous);
      expect(final.every((id) => id >= T.imageOffset && id < T.imageOffset + T.codebook)).toBe(true);
    }
  });
});
