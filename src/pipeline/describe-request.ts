import { InputError } from '../core/errors.ts';
import type { GenerationRequest } from '../core/request.ts';
import type { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/** Image -> text: `<|mmu|> <|soi|> image <|eoi|> <|bos|> question`, then the answer. */
export function describeRequest(
  codes: ArrayLike<number>, question: readonly number[], vocabulary: UnifiedVocabulary, scheduler: SegmentScheduler, maxTokens: number,
): GenerationRequest {
  return {
    segments: [
      { type: 'tokens', ids: [vocabulary.special('<|mmu|>'), vocabulary.special('<|soi|>')] },
      { type: 'image', codes },
      { type: 'tokens', ids: [vocabulary.special('<|eoi|>'), vocabulary.bosTokenId, ...question] },
      { type: 'generate', modality: 'text', scheduler: scheduler.name, options: scheduler.options, length: maxTokens },
    ],
  };
}

/**
 * Refuses an answer length the model's positions cannot hold, naming maxTokens (or the question
 * when it alone leaves no room), before the engine's generic "sequence length" error.
 */
export function checkDescribeFits(codes: number, questionTokens: number, maxTokens: number, maxPositions: number): void {
  // <|mmu|> <|soi|> codes <|eoi|> <|bos|> question, then the answer.
  const prefix = 4 + codes + questionTokens;
  if (prefix >= maxPositions) {
    throw new InputError('question', `${questionTokens} tokens`, `at most ${maxPositions - 5 - codes} tokens (the model's ${maxPositions} positions hold the image, the question and an answer)`);
  }
  if (maxTokens > maxPositions - prefix) {
    throw new InputError('maxTokens', maxTokens, `at most ${maxPositions - prefix}`,
      `maxTokens: got ${maxTokens}, expected at most ${maxPositions - prefix}: the model has ${maxPositions} positions and the image `
      + `with its question takes ${prefix} (<|mmu|> <|soi|> ${codes} codes <|eoi|> <|bos|> ${questionTokens} question tokens)`);
  }
}
