import type { GenerationRequest } from '../core/request.ts';
import type { UnifiedVocabulary } from '../tokenizers/unified-vocabulary.ts';
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
