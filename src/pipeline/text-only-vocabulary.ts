import { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { VocabularyLayout } from '../core/vocabulary-layout.ts';

/**
 * The engine's vocabulary for a text-only model of `vocabSize` ids: every model id is text (the
 * text scheduler may draw any of them). The engine's own markers sit past the model's ids and are
 * never fed to it in a single-row AR run: `<|pad|>` (= vocabSize, written only when one row of a
 * batch stops before the others) and `[MASK]` (= vocabSize + 1, marking positions not yet decoded).
 * No image codes (an empty codebook, a 1 x 1 grid nothing uses).
 */
export function textOnlyLayout(vocabSize: number, bosTokenId: number, eosTokenId: number): VocabularyLayout {
  return {
    textVocabSize: vocabSize,
    specialTokens: ['<|pad|>'],
    specialTokenOffset: vocabSize,
    imageCodebookSize: 0,
    imageTokenOffset: vocabSize + 1,
    maskTokenId: vocabSize + 1,
    vocabSize: vocabSize + 2,
    bosTokenId,
    eosTokenId,
    padToken: '<|pad|>',
    imageGrid: { height: 1, width: 1 },
  };
}

export function textOnlyVocabulary(vocabSize: number, bosTokenId: number, eosTokenId: number): UnifiedVocabulary {
  return new UnifiedVocabulary(textOnlyLayout(vocabSize, bosTokenId, eosTokenId));
}
