import { InputError } from '../core/errors.ts';
import type { GenerationRequest, Segment } from '../core/request.ts';
import type { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { PromptLayout } from './prompt-layout.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/** `[pad…] <|t2i|> <|bos|> words <|eos|>`, left-padded to the trained prompt length. */
export function textToImagePrompt(words: readonly number[], vocabulary: UnifiedVocabulary, layout: PromptLayout): number[] {
  const body = [vocabulary.special('<|t2i|>'), vocabulary.bosTokenId, ...words, vocabulary.eosTokenId];
  if (body.length > layout.t2iPromptLength) {
    throw new InputError('prompt', `${words.length} tokens`, `at most ${layout.t2iPromptLength - 3} tokens (the model's prompt length)`);
  }
  return [...new Array<number>(layout.t2iPromptLength - body.length).fill(vocabulary.padTokenId), ...body];
}

/**
 * Text -> image (Show-o layout): prompt, <|soi|>, the image to generate, <|eoi|>. The unconditional
 * twin uses the empty prompt. `known` (codes, -1 unknown) turns it into inpainting.
 */
export function textToImageRequest(
  words: readonly number[], vocabulary: UnifiedVocabulary, layout: PromptLayout, scheduler: SegmentScheduler, known?: ArrayLike<number>,
): GenerationRequest {
  const build = (prompt: number[]): Segment[] => [
    { type: 'tokens', ids: [...prompt, vocabulary.special('<|soi|>')] },
    {
      type: 'generate', modality: 'image', scheduler: scheduler.name, options: scheduler.options,
      length: vocabulary.imageTokenCount, ...(known ? { known } : {}),
    },
    { type: 'tokens', ids: [vocabulary.special('<|eoi|>')] },
  ];
  return { segments: build(textToImagePrompt(words, vocabulary, layout)), unconditional: build(textToImagePrompt([], vocabulary, layout)) };
}
