import { readFileSync } from 'node:fs';
import { thrown } from './support/thrown.ts';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { MAX_LISTED_UNKNOWN_WORDS, MAX_TEXT_CHARACTERS, TextTokenizer } from '../src/tokenizers/text-tokenizer.ts';

const FIXTURE = new URL('./fixtures/word-level-tokenizer.json', import.meta.url);
const tokenizer = TextTokenizer.fromJson(JSON.parse(readFileSync(FIXTURE, 'utf8')) as object, 'tokenizer.json');

const refused = (action: () => unknown): InputError => thrown(InputError, action);

describe('the unknown-words error stays short however long the prompt', () => {
  it(`lists at most ${MAX_LISTED_UNKNOWN_WORDS} words, then says how many more, and names the CLI flag`, () => {
    const words = Array.from({ length: 400 }, (_, i) => `zz${i}qq`);
    const error = refused(() => tokenizer.encode(`a ${words.join(' ')}`));
    expect(error.got).toEqual(words);
    expect(error.message).toContain('"zz9qq"');
    expect(error.message).not.toContain('"zz10qq"');
    expect(error.message).toContain('and 390 more.');
    expect(error.message).toContain('--unknown-words unk');
    expect(error.message.length).toBeLessThan(1000);
  });

  it('cuts a very long unknown word in the message', () => {
    const error = refused(() => tokenizer.encode('x'.repeat(3000)));
    expect(error.message).toContain(`"${'x'.repeat(40)}…"`);
    expect(error.message.length).toBeLessThan(600);
  });

  it(`refuses text over MAX_TEXT_CHARACTERS (${MAX_TEXT_CHARACTERS}) before tokenizing`, () => {
    const error = refused(() => tokenizer.encode('a '.repeat(MAX_TEXT_CHARACTERS)));
    expect(error.what).toBe('text');
    expect(error.message).toBe(`text: got "${2 * MAX_TEXT_CHARACTERS} characters", expected at most ${MAX_TEXT_CHARACTERS} characters`);
    expect(tokenizer.encode('a '.repeat(MAX_TEXT_CHARACTERS / 2 - 1))).toHaveLength(MAX_TEXT_CHARACTERS / 2 - 1);
  });
});
