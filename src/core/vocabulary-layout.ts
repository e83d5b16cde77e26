/** The unified vocabulary described as data (config.json's `vocabulary`). */
export interface VocabularyLayout {
  /** Ids 0..textVocabSize-1 belong to the text tokenizer. */
  readonly textVocabSize: number;
  /** Named special tokens, placed right after the text ids in this order. */
  readonly specialTokens: readonly string[];
  /** Id of special token 0 (defaults to textVocabSize). */
  readonly specialTokenOffset?: number;
  readonly imageCodebookSize: number;
  /** Id of image code 0. */
  readonly imageTokenOffset: number;
  readonly maskTokenId: number;
  readonly vocabSize: number;
  readonly bosTokenId: number;
  readonly eosTokenId: number;
  readonly unkTokenId?: number;
  /** Name of the special used for padding (defaults to the first special containing "pad"). */
  readonly padToken?: string;
  readonly imageGrid: { readonly height: number; readonly width: number };
}
