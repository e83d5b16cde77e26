import { ConfigError } from '../core/errors.ts';
import { SHOW_O_ENDOFTEXT_ID, SHOW_O_TEXT_VOCAB_SIZE } from './show-o-config.ts';

/**
 * A stand-in for phi-1.5's tokenizer, which cannot be downloaded here: a WordLevel `tokenizer.json`
 * over Show-o's text ids 0..50294 with `<|endoftext|>` at 50256 (a special, as in phi), `words`
 * at ids 0, 1, 2, … in order, and every other id the word `w<id>`, so any text id the model
 * generates reads back. Whitespace-split and case-kept (no normalizer); no unknown token, so an
 * unknown word is refused, never silently mapped.
 */
export function showOWordTokenizer(words: readonly string[]): object {
  const vocab: Record<string, number> = {};
  const named = new Map<number, string>(words.map((word, index) => [index, word]));
  if (named.has(SHOW_O_ENDOFTEXT_ID) || words.length > SHOW_O_ENDOFTEXT_ID) {
    throw new ConfigError('synthetic tokenizer words', words.length, `at most ${SHOW_O_ENDOFTEXT_ID} words (ids below <|endoftext|>)`);
  }
  named.set(SHOW_O_ENDOFTEXT_ID, '<|endoftext|>');
  for (let id = 0; id < SHOW_O_TEXT_VOCAB_SIZE; id++) {
    const word = named.get(id) ?? `w${id}`;
    if (vocab[word] !== undefined) throw new ConfigError('synthetic tokenizer word', word, 'a word listed once (and not of the form w<id>)');
    vocab[word] = id;
  }
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{
      id: SHOW_O_ENDOFTEXT_ID, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    }],
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab },
  };
}
