import { InputError } from '../core/errors.ts';
import type { GenerationRequest, Segment } from '../core/request.ts';
import type { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { PromptLayout } from './prompt-layout.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/**
 * Editing by instruction: `[pad…] <|edit|> <|soi|> A <|eoi|> <|bos|> instruction <|eos|> <|soi|> B <|eoi|>`.
 * The unconditional twin keeps the source image and drops the instruction: its words become padding in
 * place, so both rows have one segment layout (a batch and its twins must; the engine refuses otherwise).
 */
export function editRequest(
  source: ArrayLike<number>, instruction: readonly number[], vocabulary: UnifiedVocabulary, layout: PromptLayout, scheduler: SegmentScheduler,
): GenerationRequest {
  const promptLength = editPromptLength(vocabulary, layout);
  const build = (words: readonly number[]): Segment[] => {
    const tail = [vocabulary.special('<|eoi|>'), vocabulary.bosTokenId, ...words, vocabulary.eosTokenId];
    const used = 2 + source.length + tail.length;
    if (used > promptLength) {
      throw new InputError('instruction', `${words.length} tokens`, `at most ${promptLength - (used - words.length)} tokens`);
    }
    const pads = new Array<number>(promptLength - used).fill(vocabulary.padTokenId);
    return [
      { type: 'tokens', ids: [...pads, vocabulary.special('<|edit|>'), vocabulary.special('<|soi|>')] },
      { type: 'image', codes: source },
      { type: 'tokens', ids: [...tail, vocabulary.special('<|soi|>')] },
      { type: 'generate', modality: 'image', scheduler: scheduler.name, options: scheduler.options, length: vocabulary.imageTokenCount },
      { type: 'tokens', ids: [vocabulary.special('<|eoi|>')] },
    ];
  };
  return { segments: build(instruction), unconditional: build(instruction.map(() => vocabulary.padTokenId)) };
}

/** The editing prompt length; refuses a model without an editing layout (Show-o has none), saying so. */
export function editPromptLength(vocabulary: UnifiedVocabulary, layout: PromptLayout): number {
  const length = layout.editPromptLength;
  if (length === undefined || !vocabulary.hasSpecial('<|edit|>')) {
    throw new InputError('edit', 'this model', 'a model with an editing layout (<|edit|> and prompts.editPromptLength in its config.json)',
      'this model cannot edit: its config.json has no editing layout (<|edit|> among vocabulary.specialTokens and prompts.editPromptLength)');
  }
  return length;
}
