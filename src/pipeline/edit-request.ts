import { InputError } from '../core/errors.ts';
import type { GenerationRequest, Segment } from '../core/request.ts';
import type { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { PromptLayout } from './prompt-layout.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/**
 * Editing by instruction: `[pad…] <|edit|> <|soi|> A <|eoi|> <|bos|> instruction <|eos|> <|soi|> B <|eoi|>`.
 * The unconditional twin keeps the source image and drops the instruction.
 */
export function editRequest(
  source: ArrayLike<number>, instruction: readonly number[], vocabulary: UnifiedVocabulary, layout: PromptLayout, scheduler: SegmentScheduler,
): GenerationRequest {
  const build = (words: readonly number[]): Segment[] => {
    const tail = [vocabulary.special('<|eoi|>'), vocabulary.bosTokenId, ...words, vocabulary.eosTokenId];
    const used = 2 + source.length + tail.length;
    if (used > layout.editPromptLength) {
      throw new InputError('instruction', `${words.length} tokens`, `at most ${layout.editPromptLength - (used - words.length)} tokens`);
    }
    const pads = new Array<number>(layout.editPromptLength - used).fill(vocabulary.padTokenId);
    return [
      { type: 'tokens', ids: [...pads, vocabulary.special('<|edit|>'), vocabulary.special('<|soi|>')] },
      { type: 'image', codes: source },
      { type: 'tokens', ids: [...tail, vocabulary.special('<|soi|>')] },
      { type: 'generate', modality: 'image', scheduler: scheduler.name, options: scheduler.options, length: vocabulary.imageTokenCount },
      { type: 'tokens', ids: [vocabulary.special('<|eoi|>')] },
    ];
  };
  return { segments: build(instruction), unconditional: build([]) };
}
