import type { GenerationRequest, Segment } from '../core/request.ts';
import type { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { ChatPromptConfig } from '../tokenizers/prompts-config.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/**
 * What a chat has said so far, in order: token runs (specials, words, image markers) and images as
 * codes. Images stay codes: a later turn sees the codes the model made, never re-encoded pixels.
 */
export type ChatContextPiece =
  | { readonly kind: 'tokens'; readonly ids: readonly number[] }
  | { readonly kind: 'image'; readonly codes: Int32Array };

/** `<|lvg|>` then, when the chat starts from an image, `<|soi|> A <|eoi|>` (tools/omnitrain/chat_rows.py). */
export function chatOpening(vocabulary: UnifiedVocabulary, taskToken: string, source?: Int32Array): ChatContextPiece[] {
  const task = vocabulary.special(taskToken);
  if (source === undefined) return [{ kind: 'tokens', ids: [task] }];
  return [
    { kind: 'tokens', ids: [task, vocabulary.special('<|soi|>')] },
    { kind: 'image', codes: source },
    { kind: 'tokens', ids: [vocabulary.special('<|eoi|>')] },
  ];
}

/**
 * Positions a user turn is padded to (undefined: no padding): `imageTurnLength` right after an image when
 * the words fit, else `userTurnLength`, as tools/omnitrain/chat_rows.py lays out its rows.
 */
export function userTurnLength(chat: ChatPromptConfig, words: readonly number[], afterImage: boolean): number | undefined {
  const short = chat.imageTurnLength;
  return afterImage && short !== undefined && words.length + 2 <= short ? short : chat.userTurnLength;
}

/**
 * The user's turn as the model was trained on it: `<|bos|> words <|eos|>`, left-padded to `length`
 * positions when the model's chat layout fixes one (checked by the caller before decoding).
 */
export function userTurn(vocabulary: UnifiedVocabulary, words: readonly number[], length?: number): ChatContextPiece {
  const pad = length === undefined ? 0 : length - words.length - 2;
  return { kind: 'tokens', ids: [...new Array<number>(Math.max(0, pad)).fill(vocabulary.padTokenId), vocabulary.bosTokenId, ...words, vocabulary.eosTokenId] };
}

export function contextLength(context: readonly ChatContextPiece[]): number {
  return context.reduce((sum, piece) => sum + (piece.kind === 'tokens' ? piece.ids.length : piece.codes.length), 0);
}

/** The context as unified ids (image codes mapped into the image id range). */
export function contextIds(context: readonly ChatContextPiece[], vocabulary: UnifiedVocabulary): Int32Array {
  const ids = new Int32Array(contextLength(context));
  let at = 0;
  for (const piece of context) {
    if (piece.kind === 'tokens') {
      ids.set(piece.ids, at);
      at += piece.ids.length;
    } else {
      for (const code of piece.codes) ids[at++] = vocabulary.codeToId(code);
    }
  }
  return ids;
}

export interface ChatStreamSettings {
  readonly text: SegmentScheduler;
  readonly image: SegmentScheduler;
  /** Positions the answer may take (text, images and their markers, the closing <|eos|>). */
  readonly length: number;
  readonly maxImages: number;
}

/**
 * One turn: the context so far (images as bidirectional blocks, as the trained rows give earlier
 * images), then the answer as a text stream that opens images where the model draws <|soi|> and
 * stops at <|eos|>. The engine builds the guidance twin itself (text ids -> padding).
 */
export function chatTurnRequest(context: readonly ChatContextPiece[], settings: ChatStreamSettings, id: string): GenerationRequest {
  const segments: Segment[] = context.map((piece) => (piece.kind === 'tokens' ? { type: 'tokens', ids: piece.ids } : { type: 'image', codes: piece.codes }));
  segments.push({
    type: 'generate', modality: 'text', scheduler: settings.text.name, options: settings.text.options, length: settings.length, stop: { eos: true },
    images: { scheduler: settings.image.name, options: settings.image.options, maxImages: settings.maxImages },
  });
  return { segments, id };
}
