/**
 * A `tokenizer.json` (Hugging Face tokenizers, WordLevel) for a synthetic model of `vocabSize` ids:
 * the specials at their ids (`<unk>`, `<s>`, `</s>`, `<pad>` where given), every other id the word
 * `w<id>`, so a prompt such as "w5 w17 w3" encodes to [5, 17, 3] and generated ids read back.
 */
export interface WordTokenizerIds {
  readonly unkTokenId?: number;
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
  readonly padTokenId?: number;
}

export function syntheticWordTokenizer(vocabSize: number, ids: WordTokenizerIds = {}): object {
  const specials = new Map<number, string>();
  if (ids.unkTokenId !== undefined) specials.set(ids.unkTokenId, '<unk>');
  if (ids.bosTokenId !== undefined) specials.set(ids.bosTokenId, '<s>');
  if (ids.eosTokenId !== undefined) specials.set(ids.eosTokenId, '</s>');
  if (ids.padTokenId !== undefined) specials.set(ids.padTokenId, '<pad>');
  const vocab: Record<string, number> = {};
  for (let id = 0; id < vocabSize; id++) vocab[specials.get(id) ?? `w${id}`] = id;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...specials].sort(([a], [b]) => a - b).map(([id, content]) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: specials.get(ids.unkTokenId ?? -1) ?? '<unk>' },
  };
}
