import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { FakeTransformer, STRONG } from './support/fake-models.ts';
import { PROMPT_LENGTH, T, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

/** Each row's answer depends on its prompt word: word w -> SCRIPTS[w], then EOS. */
const SCRIPTS: Record<number, number[]> = { 3: [10], 4: [11, 12, 13], 5: [14, 15] };

function perRowTextModel(): FakeTransformer {
  return new FakeTransformer({
    vocabSize: T.vocabSize,
    fill: (query, out) => {
      const history = [...query.pastIds, ...query.inputIds];
      const script = SCRIPTS[history[1] as number] ?? [];
      // Prompt <|bos|> word: the answer starts at position 2.
      const next = query.position + 1 - 2;
      if (next >= 0) out[script[next] ?? T.eos] = STRONG;
    },
  });
}

/** Image target depends on the prompt word: code (word · 3 + position) mod 16. */
function perRowImageModel(): FakeTransformer {
  const imageStart = PROMPT_LENGTH + 1;
  return new FakeTransformer({
    vocabSize: T.vocabSize,
    fill: (query, out) => {
      const word = [...query.pastIds, ...query.inputIds][PROMPT_LENGTH - 2] as number;
      const position = query.position - imageStart;
      if (position >= 0) out[T.imageOffset + ((word * 3 + position) % 16)] = STRONG;
    },
  });
}

const target = (word: number): number[] => Array.from({ length: T.gridTokens }, (_, p) => T.imageOffset + ((word * 3 + p) % 16));

describe('a batch of requests decoded together', () => {
  it('autoregressive rows that stop at different steps each get their own answer', async () => {
    const { engine } = createEngine({ model: perRowTextModel(), vocabulary: testVocabulary() });
    const result = await engine.generate([textRequest([3], 5), textRequest([4], 5), textRequest([5], 5)]);
    const answers = result.rows.map((row) => Array.from(row.segments[1]?.tokens ?? []));
    expect(answers).toEqual([
      [10, T.eos, T.pad, T.pad, T.pad],
      [11, 12, 13, T.eos, T.pad],
      [14, 15, T.eos, T.pad, T.pad],
    ]);
    expect(result.rows.map((row) => row.segments[1]?.end)).toEqual([1, 3, 2]);
  });

  it('each row equals the same request decoded alone (maskgit), and keeps its own known tokens', async () => {
    const knowns = [
      [1, -1, -1, -1, -1, -1, -1, -1, 2],
      [-1, -1, -1, -1, 7, -1, -1, -1, -1],
      [-1, -1, -1, -1, -1, -1, -1, -1, -1],
    ];
    const requests = [3, 4, 5].map((word, i) => t2iRequest({ words: [word], known: knowns[i] as number[], options: { steps: 4 } }));
    const { engine } = createEngine({ model: perRowImageModel(), vocabulary: testVocabulary() });
    const together = await engine.generate(requests, { seed: 8 });
    expect(together.rows).toHaveLength(3);
    for (const [i, word] of [3, 4, 5].entries()) {
      const known = knowns[i] as number[];
      const expected = target(word).map((id, p) => (known[p] === -1 ? id : T.imageOffset + (known[p] as number)));
      const row = together.rows[i];
      expect(row?.tokens).toHaveLength(PROMPT_LENGTH + 1 + T.gridTokens + 1);
      expect(Array.from(row?.segments[1]?.tokens ?? [])).toEqual(expected);
      const alone = await createEngine({ model: perRowImageModel(), vocabulary: testVocabulary() }).engine.generate(requests[i] as GenerationRequest, { seed: 8 });
      expect(Array.from(alone.rows[0]?.tokens ?? [])).toEqual(Array.from(row?.tokens ?? []));
    }
  });

  it('rows of different layouts share one call: each layout group decodes on its own, rows in request order', async () => {
    const { engine } = createEngine({ model: perRowImageModel(), vocabulary: testVocabulary() });
    const result = await engine.generate([t2iRequest({ length: 9 }), t2iRequest({ length: 8 }), t2iRequest({ length: 9 })]);
    expect(result.rows.map((row) => row.segments[1]?.length)).toEqual([9, 8, 9]);
    expect(result.rows.every((row) => row.segments[1]?.tokens.every((id) => id !== T.mask))).toBe(true);
  });
});
