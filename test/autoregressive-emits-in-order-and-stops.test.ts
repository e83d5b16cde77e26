import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import { scriptedTextModel } from './support/fake-models.ts';
import { T, textRequest, testVocabulary } from './support/show-o-layout.ts';

// Prompt <|bos|> w3 w4 at positions 0..2; the answer starts at position 3.
const ANSWER_START = 3;

function words(ids: ArrayLike<number>): string {
  return Array.from(ids, (id) => `w${id}`).join(' ');
}

describe('autoregressive text decoding', () => {
  it('emits the model\'s tokens in order and stops at EOS, padding the rest', async () => {
    const model = scriptedTextModel(T.vocabSize, ANSWER_START, [5, 6, 7], T.eos);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate(textRequest([3, 4], 6));
    const answer = result.rows[0]?.segments[1];
    expect(Array.from(answer?.tokens ?? [])).toEqual([5, 6, 7, T.eos, T.pad, T.pad]);
    // Output stops before EOS.
    expect(answer?.end).toBe(3);
    expect(Array.from(result.rows[0]?.tokens ?? [])).toEqual([T.bos, 3, 4, 5, 6, 7, T.eos, T.pad, T.pad]);
    // Prefix + one forward per fed token (5, 6, 7); EOS itself is never fed.
    expect(result.stats.forwardPasses).toBe(4);
  });

  it('stops after max tokens when no EOS comes', async () => {
    const model = scriptedTextModel(T.vocabSize, ANSWER_START, [5, 6, 7, 8, 9, 10, 11], T.eos);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate(textRequest([3, 4], 4));
    const answer = result.rows[0]?.segments[1];
    expect(Array.from(answer?.tokens ?? [])).toEqual([5, 6, 7, 8]);
    expect(answer?.end).toBe(4);
    expect(result.stats.forwardPasses).toBe(4);
  });

  it('keeps going past EOS when the segment says stop: { eos: false }', async () => {
    const model = scriptedTextModel(T.vocabSize, ANSWER_START, [5, T.eos, 6], T.eos);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate(textRequest([3, 4], 4, {}, { eos: false }));
    const answer = result.rows[0]?.segments[1];
    expect(Array.from(answer?.tokens ?? [])).toEqual([5, T.eos, 6, T.eos]);
    expect(answer?.end).toBe(4);
  });

  it('stops once the decoded text contains a stop string (TEXT_DECODER), keeping the string', async () => {
    const model = scriptedTextModel(T.vocabSize, ANSWER_START, [5, 6, 7, 8, 9], T.eos);
    const { engine } = createEngine({ model, vocabulary: testVocabulary(), decodeText: words });
    const result = await engine.generate(textRequest([3, 4], 8, {}, { strings: ['w6 w7'] }));
    const answer = result.rows[0]?.segments[1];
    expect(Array.from(answer?.tokens ?? [])).toEqual([5, 6, 7, T.pad, T.pad, T.pad, T.pad, T.pad]);
    expect(answer?.end).toBe(3);
    expect(words((answer?.tokens ?? new Int32Array()).subarray(0, answer?.end))).toBe('w5 w6 w7');
  });
});
