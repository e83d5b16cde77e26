import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, ModelFileError } from '../src/core/errors.ts';
import { TextTokenizer } from '../src/tokenizers/text-tokenizer.ts';

const FIXTURE = new URL('./fixtures/word-level-tokenizer.json', import.meta.url);
const fixtureJson = (): Record<string, unknown> => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('TextTokenizer unknown words', () => {
  const tokenizer = TextTokenizer.fromJson(fixtureJson(), 'fixtures/word-level-tokenizer.json');

  it('rejects by default, naming every unknown word and the closest known words', () => {
    const error = thrown(() => tokenizer.encode('a Dres and a sneakr')) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.what).toBe('text');
    expect(error.got).toEqual(['Dres', 'and', 'sneakr']);
    expect(error.message).toContain('unknown words "Dres" (closest known: dress); "and" (closest known: an, a); '
      + '"sneakr" (closest known: sneaker).');
    expect(error.message).toContain('fixtures/word-level-tokenizer.json) knows 26 words');
    expect(error.message).toContain("unknownWords: 'unk'");
  });

  it("maps each unknown word to [UNK] (id 0) with unknownWords: 'unk', keeping one id per word", () => {
    expect(tokenizer.encode('a zebra of a dres', { unknownWords: 'unk' })).toEqual([3, 0, 6, 3, 0]);
    const lenient = TextTokenizer.fromJson(fixtureJson(), 'tokenizer.json', { unknownWords: 'unk' });
    expect(lenient.encode('zebra ankle boot')).toEqual([0, 20, 21]);
    expect(() => lenient.encode('zebra', { unknownWords: 'reject' })).toThrow(/unknown word "zebra"/);
  });

  it('knows words regardless of case (Lowercase normalizer)', () => {
    expect(tokenizer.encode('A PHOTO of a T-Shirt')).toEqual([3, 5, 6, 3, 11]);
  });

  it('rejects special tokens typed into the text', () => {
    const error = thrown(() => tokenizer.encode('a <|eos|> bag')) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('special token <|eos|>');
  });

  it('names the whole word when the Whitespace pre-tokenizer splits it into an unknown piece', () => {
    const json = { ...fixtureJson(), pre_tokenizer: { type: 'Whitespace' } };
    const split = TextTokenizer.fromJson(json);
    // "t-shirt" -> "t", "-", "shirt": only "shirt" is known.
    const error = thrown(() => split.encode('a t-shirt')) as InputError;
    expect(error.got).toEqual(['t-shirt']);
    expect(split.encode('a t-shirt', { unknownWords: 'unk' })).toEqual([3, 0, 0, 17]);
  });

  it("refuses unknownWords: 'unk' when the tokenizer has no unknown token", () => {
    const json = fixtureJson();
    const model = json.model as Record<string, unknown>;
    const noUnk = { ...json, model: { ...model, unk_token: undefined } };
    expect(() => TextTokenizer.fromJson(noUnk, 'tokenizer.json', { unknownWords: 'unk' })).toThrow(ModelFileError);
    // Still never drops the word silently in the default mode.
    expect(() => TextTokenizer.fromJson(noUnk).encode('a zebra')).toThrow(/unknown word "zebra"/);
  });
});
