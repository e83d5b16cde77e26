import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../src/core/errors.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { scriptedTextModel } from './support/fake-models.ts';
import { T, textRequest, testVocabulary } from './support/show-o-layout.ts';

const ANSWER_START = 3;

describe('the engine stops text rows by the segment\'s stop conditions', () => {
  it('maxTokens below the segment length ends the row there and pads the rest', async () => {
    const { engine } = createEngine({ model: scriptedTextModel(T.vocabSize, ANSWER_START, [5, 6, 7, 8, 9], T.eos), vocabulary: testVocabulary() });
    const result = await engine.generate(textRequest([3, 4], 6, {}, { maxTokens: 2 }));
    const answer = result.rows[0]?.segments[1];
    expect(Array.from(answer?.tokens ?? [])).toEqual([5, 6, T.pad, T.pad, T.pad, T.pad]);
    expect(answer?.end).toBe(2);
  });

  it('a user condition sees the tokens so far and ends the row after the token that made it true', async () => {
    const { engine } = createEngine({ model: scriptedTextModel(T.vocabSize, ANSWER_START, [5, 6, 7, 8, 9], T.eos), vocabulary: testVocabulary() });
    const seen: number[] = [];
    const result = await engine.generate(textRequest([3, 4], 6, {}, {
      when: (tokens, length) => { seen.push(length); return tokens[length - 1] === 7; },
    }));
    const answer = result.rows[0]?.segments[1];
    expect(Array.from(answer?.tokens ?? []).slice(0, 3)).toEqual([5, 6, 7]);
    expect(answer?.end).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('the earliest condition wins: EOS before max tokens', async () => {
    const { engine } = createEngine({ model: scriptedTextModel(T.vocabSize, ANSWER_START, [5], T.eos), vocabulary: testVocabulary() });
    const result = await engine.generate(textRequest([3, 4], 6, {}, { maxTokens: 4 }));
    expect(result.rows[0]?.segments[1]?.end).toBe(1);
  });

  it('bad stop settings name the field', async () => {
    const { engine } = createEngine({ model: scriptedTextModel(T.vocabSize, ANSWER_START, [5], T.eos), vocabulary: testVocabulary() });
    await expect(engine.generate(textRequest([3, 4], 6, {}, { maxTokens: 9 }))).rejects.toThrow(InvalidRequestError);
    await expect(engine.generate(textRequest([3, 4], 6, {}, { maxTokens: 9 }))).rejects.toThrow("segments[1].stop.maxTokens: got 9, expected an integer from 1 to 6 (the segment's length)");
    await expect(engine.generate(textRequest([3, 4], 6, {}, { strings: [''] }))).rejects.toThrow('segments[1].stop.strings');
  });

  it('rows of one batch keep their own stop settings', async () => {
    const { engine } = createEngine({ model: scriptedTextModel(T.vocabSize, ANSWER_START, [5, 6, 7, 8, 9], T.eos), vocabulary: testVocabulary() });
    const result = await engine.generate([textRequest([3, 4], 6, {}, { maxTokens: 5 }), textRequest([3, 4], 6, {}, { maxTokens: 2 })]);
    expect(result.rows.map((row) => row.segments[1]?.end)).toEqual([5, 2]);
  });
});
