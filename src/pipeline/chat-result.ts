import type { GenerationResult } from '../core/generation-result.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/**
 * One piece of the model's answer, in the order it wrote them: words, or an image it opened
 * (`codes`: the 7×7 codebook indices it drew; `image`: those codes through the VQ decoder).
 */
export type ChatPart =
  | { readonly kind: 'text'; readonly text: string; readonly tokens: Int32Array }
  | { readonly kind: 'image'; readonly codes: Int32Array; readonly image: GrayImage };

/**
 * Why an answer ended early: 'max tokens' — it ran out of positions (before its <|eos|>, or on a
 * <|soi|> with no room for the image; nothing of that image kept); 'max images' — it opened the
 * turn's whole image budget, after which <|soi|> was blocked.
 */
export type ChatLimit = 'max tokens' | 'max images';

export interface ChatTurn {
  /** The user's words for this turn, as given. */
  readonly user: string;
  /** The answer, in order. */
  readonly parts: readonly ChatPart[];
  /** The answer's unified ids as they stay in the context (image codes mapped to ids, markers, the closing <|eos|>). */
  readonly tokens: Int32Array;
  /** Where this turn's answer starts in the whole sequence (ChatRun.tokens). */
  readonly start: number;
  readonly limit?: ChatLimit;
  /** The images the turn could open (the caller's maxImages, or the model's default fitted to the positions left). */
  readonly maxImages: number;
  /** The engine's result for this turn (its stats: forwards, wall, phases). */
  readonly result: GenerationResult;
}

export interface ChatRun {
  readonly turns: readonly ChatTurn[];
  /** The whole chat as the model saw it: `<|lvg|> [<|soi|> A <|eoi|>] (<|bos|> user <|eos|> answer)*`, unified ids. */
  readonly tokens: Int32Array;
  /** The schedulers the chat ran with, the model's defaults filled in (images: `image`, words: `text`). */
  readonly schedulers: { readonly image: SegmentScheduler; readonly text: SegmentScheduler };
  /** The image the chat started from, as codes, when one was given. */
  readonly source?: Int32Array;
  /** Model forward passes over all turns. */
  readonly forwardPasses: number;
  /** Wall time of the turns' decoding (the engine's, summed), in ms. */
  readonly wallMs: number;
}
