import type { RowResult } from '../core/generation-result.ts';
import type { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { ChatContextPiece } from './chat-request.ts';
import type { ChatLimit } from './chat-result.ts';

/** One turn's answer read from the engine's row, before images are decoded to pixels. */
export interface ChatAnswer {
  /** Words (text ids) and images (codes), in order; empty word runs left out. */
  readonly parts: ReadonlyArray<{ readonly kind: 'text'; readonly tokens: Int32Array } | { readonly kind: 'image'; readonly codes: Int32Array }>;
  /** The answer as it stays in the context, closed by <|eos|>. */
  readonly context: readonly ChatContextPiece[];
  readonly limit?: ChatLimit;
}

/**
 * Reads the stream's segments (text runs ending at <|soi|> or <|eos|>, images between). An answer
 * that ran out of positions gets an <|eos|> in the context, as every trained answer ends with one,
 * and is marked 'max tokens'.
 */
export function readChatAnswer(row: RowResult, vocabulary: UnifiedVocabulary): ChatAnswer {
  const soi = vocabulary.special('<|soi|>');
  const eoi = vocabulary.special('<|eoi|>');
  const eos = vocabulary.eosTokenId;
  const parts: Array<ChatAnswer['parts'][number]> = [];
  const context: ChatContextPiece[] = [];
  let pending: number[] = [];
  let closed = false;
  for (const segment of row.segments) {
    if (segment.modality === undefined) continue; // the given context
    if (segment.modality === 'image') {
      const codes = Int32Array.from(segment.tokens, (id) => vocabulary.idToCode(id));
      context.push({ kind: 'tokens', ids: pending }, { kind: 'image', codes });
      parts.push({ kind: 'image', codes });
      pending = [eoi];
      continue;
    }
    const end = segment.end ?? segment.length;
    const words = segment.tokens.subarray(0, end);
    if (words.length > 0) parts.push({ kind: 'text', tokens: words.slice() });
    pending.push(...words);
    const next = segment.tokens[end];
    if (end < segment.length && (next === soi || next === eos)) {
      pending.push(next);
      closed = next === eos;
    }
  }
  let limit: ChatLimit | undefined = row.limit;
  if (!closed) {
    pending.push(eos);
    limit ??= 'max tokens';
  }
  context.push({ kind: 'tokens', ids: pending });
  return { parts: mergeText(parts), context, ...(limit ? { limit } : {}) };
}

/** Adjacent word runs as one part (a stream may resume text right after text when a row is cut). */
function mergeText(parts: ReadonlyArray<ChatAnswer['parts'][number]>): Array<ChatAnswer['parts'][number]> {
  const merged: Array<ChatAnswer['parts'][number]> = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') {
      merged[merged.length - 1] = { kind: 'text', tokens: Int32Array.from([...last.tokens, ...part.tokens]) };
    } else {
      merged.push(part);
    }
  }
  return merged;
}
