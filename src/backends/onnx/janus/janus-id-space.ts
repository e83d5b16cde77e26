import { UnifiedVocabulary } from '../../../core/unified-vocabulary.ts';
import type { VocabularyLayout } from '../../../core/vocabulary-layout.ts';

/**
 * The engine's ids for a Janus-layout model. Janus has two vocabularies, the LLM's (lm_head, its
 * specials included) and the generation codebook (gen_head); the engine sees one id space:
 *   [0, textVocabSize)             the LLM's ids as they are (text scheduler candidates, EOS among them)
 *   textVocabSize                   `<|pad|>`, the engine's padding (blocked in attention; fed as the model's pad)
 *   [imageTokenOffset, + codebook)  image code c = imageTokenOffset + c (image scheduler candidates)
 *   maskTokenId                     positions not yet decoded
 */
export interface JanusIdSpaceOptions {
  /** Rows of lm_head (the LLM vocabulary, specials included). */
  readonly textVocabSize: number;
  /** Columns of gen_head. */
  readonly codebookSize: number;
  readonly bosTokenId: number;
  readonly eosTokenId: number;
  /** The model's own pad id (fed where the engine pads: Janus's unconditional rows). */
  readonly padTokenId: number;
  /** Generated image token grid (Janus: 24 x 24). */
  readonly grid: { readonly height: number; readonly width: number };
}

export class JanusIdSpace {
  readonly vocabulary: UnifiedVocabulary;
  readonly enginePad: number;
  readonly imageOffset: number;
  readonly maskId: number;

  constructor(readonly options: JanusIdSpaceOptions) {
    const { textVocabSize: V, codebookSize: K } = options;
    const layout: VocabularyLayout = {
      textVocabSize: V, specialTokens: ['<|pad|>'], specialTokenOffset: V,
      imageCodebookSize: K, imageTokenOffset: V + 1, maskTokenId: V + 1 + K, vocabSize: V + K + 2,
      bosTokenId: options.bosTokenId, eosTokenId: options.eosTokenId, padToken: '<|pad|>',
      imageGrid: options.grid,
    };
    this.vocabulary = new UnifiedVocabulary(layout);
    this.enginePad = V;
    this.imageOffset = V + 1;
    this.maskId = V + 1 + K;
  }

  get vocabSize(): number {
    return this.vocabulary.vocabSize;
  }

  isImage(id: number): boolean {
    return id >= this.imageOffset && id < this.imageOffset + this.options.codebookSize;
  }

  /** The id prepare_inputs_embeds gets: text ids as they are, everything else the model's pad. */
  textId(id: number): number {
    return id >= 0 && id < this.options.textVocabSize ? id : this.options.padTokenId;
  }

  /** The id gen_img_embeds gets: the code for image ids, 0 elsewhere (not read). */
  imageCode(id: number): number {
    return this.isImage(id) ? id - this.imageOffset : 0;
  }
}
