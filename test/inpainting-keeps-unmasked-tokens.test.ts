import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import { knownImageModel, scriptedTextModel } from './support/fake-models.ts';
import { PROMPT_LENGTH, T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

describe('inpainting', () => {
  it('keeps the given tokens even where the model prefers others, and fills only the unknowns', async () => {
    const target = [4, 11, 0, 15, 7, 7, 2, 9, 13];
    // Given codes differ from the model's preference wherever they are given.
    const known = [1, -1, 3, -1, -1, 8, -1, -1, 6];
    const model = knownImageModel({ vocabSize: T.vocabSize, imageStart: PROMPT_LENGTH + 1, imageOffset: T.imageOffset, target });
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    for (const maskCount of ['full', 'unknown'] as const) {
      const result = await engine.generate(t2iRequest({ known, options: { steps: 4, maskCount } }), { seed: 5 });
      const expected = known.map((code, position) => T.imageOffset + (code === -1 ? (target[position] as number) : code));
      expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual(expected);
    }
  });

  it('autoregressive text keeps given answer tokens and writes only the others', async () => {
    // <|bos|> w3 then 5 answer slots; the model would say 5 6 7 8 9, slot 1 is given as 12.
    const model = scriptedTextModel(T.vocabSize, 2, [5, 6, 7, 8, 9], T.eos);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate({
      segments: [
        { type: 'tokens', ids: [T.bos, 3] },
        { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 5, known: [-1, 12, -1, -1, -1] },
      ],
    });
    expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual([5, 12, 7, 8, 9]);
  });
});
