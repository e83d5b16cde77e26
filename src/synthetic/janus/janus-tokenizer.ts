import { JANUS_SPECIALS } from './janus-spec.ts';

/**
 * Words the chat templates and the default question write, as the first ids, so a rendered prompt
 * ("<|User|>: <image_placeholder>\nDescribe this image.\n\n<|Assistant|>:") tokenizes word by word.
 */
export const JANUS_TEMPLATE_WORDS = ['<|User|>:', '<|Assistant|>:', 'Describe', 'this', 'image.'] as const;

/**
 * A stand-in for Janus's tokenizer (WordLevel `tokenizer.json`): Janus's special tokens by name as
 * the last ids, the template words first, every other id the word `w<id>`, so a prompt such as
 * "w5 w17" encodes to [5, 17] and any generated text id reads back. Whitespace-split, case kept, no
 * unknown token.
 */
export function janusWordTokenizer(textVocabSize: number): object {
  const first = textVocabSize - JANUS_SPECIALS.length;
  const vocab: Record<string, number> = {};
  for (let id = 0; id < textVocabSize; id++) {
    vocab[id >= first ? JANUS_SPECIALS[id - first] as string : JANUS_TEMPLATE_WORDS[id] ?? `w${id}`] = id;
  }
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
