/**
 * The contract for logits processors: small in-place transforms over one row slice of logits,
 * (data, offset, count), composed by LogitsProcessorChain before a TokenDraw picks a token.
 * Blocked tokens are set to -Infinity. Implementations allocate scratch once per instance so the
 * decoding loop allocates nothing per step.
 */

export interface ProcessorContext {
  /** Tokens generated/known so far in this row (for penalties). */
  readonly history: Int32Array;
  /** How many entries of `history` are valid (the buffer may be preallocated longer). */
  readonly historyLength: number;
  /** Id of column 0 of the slice in the full vocabulary. */
  readonly columnOffset: number;
}

export interface LogitsProcessor {
  readonly name: string;
  /** Transforms data[offset .. offset + count) in place. */
  process(logits: Float32Array, offset: number, count: number, context: ProcessorContext): void;
}

/** A context with no history, for callers that use no history-dependent processors. */
export const EMPTY_PROCESSOR_CONTEXT: ProcessorContext = Object.freeze({
  history: new Int32Array(0),
  historyLength: 0,
  columnOffset: 0,
});
