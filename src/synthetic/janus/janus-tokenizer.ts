import { JANUS_SPECIALS } from './janus-spec.ts';

/**
 * A stand-in for Janus's tokenizer (WordLevel `tokenizer.json`): Janus's special tokens by name as
 * the last ids, every other id the word `w<id>`, so a prompt such as "w5 w17" encodes to [5, 17]
 * and any generated text id reads back. Whitespace-split, case kept, no unknown token.
 */
export function janusWordTokenizer(textVocabSize: number): object {
  const first = textVocabSize - JANUS_SPECIALS.length;
  const vocab: Record<string, number> = {};
  for (let id = 0; id < textVocabSize; id++) vocab[id < first ? `w${id}` : JANUS_SPECIALS[id - first] as string] = id;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: JANUS_SPECIALS.map((content, index) => ({
      id: first + index, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab },
  };
}
