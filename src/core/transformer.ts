/**
 * The one model interface every scheduler is decoded through. Implementations: the ONNX backend
 * (onnx-transformer.ts), and small fakes and a reference transformer in tests.
 */

/** Keys/values for every layer, opaque to callers. The engine owns it and must dispose it. */
export interface KeyValueCache {
  /** Rows in the batch. */
  readonly batch: number;
  /** Positions held (the "past" length it gives the next forward). */
  readonly length: number;
  /** Frees the tensors. Calling it twice is harmless. */
  dispose(): void;
}

export interface ForwardInput {
  /** Token ids [batch, length], row-major. */
  readonly inputIds: Int32Array;
  /** Absolute positions [batch, length]. */
  readonly positionIds: Int32Array;
  /**
   * Attention over past + current keys, [batch, length, pastLength + length], 1 = may attend,
   * 0 = blocked. This is the 4D omni-attention mask without its singleton head axis.
   */
  readonly attentionMask: Uint8Array;
  readonly batch: number;
  readonly length: number;
  /** Keys/values of earlier positions, or undefined for none. Not consumed: the caller keeps ownership. */
  readonly past?: KeyValueCache;
  /**
   * Which positions' logits the caller reads: 'all' (default), or only the 'last' of each row (AR
   * appends and prefills). A backend may then compute the last position only, or still give all.
   */
  readonly logitsFor?: LogitsSpan;
  /**
   * Positions of this forward fed as an encoder's vectors instead of their ids' embeddings (given
   * only to a model whose info lists the input's kind in `encoderInputs`).
   */
  readonly encoded?: readonly EncodedSpan[];
}

export type LogitsSpan = 'all' | 'last';

/**
 * Continuous input for an encoder the model runs itself (Janus: an image's normalised pixels
 * [3, H, W], which prepare_inputs_embeds turns into one vector a position). The engine only places it.
 */
export interface EncoderInput {
  /** What it is, e.g. 'image'; the model lists the kinds it takes (TransformerInfo.encoderInputs). */
  readonly kind: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** One encoder input over `length` positions of one row, from `start` (relative to the forward's first position). */
export interface EncodedSpan {
  readonly row: number;
  readonly start: number;
  readonly length: number;
  readonly input: EncoderInput;
}

export interface ForwardOutput {
  /**
   * Logits [batch, kept, vocabSize] for the last `kept` positions of each row, as a view on the
   * backend's output: kept = length, or 1 when the input asked for the 'last' position and the
   * backend honoured it (kept = logits.length / (batch x vocabSize)).
   */
  readonly logits: Float32Array;
  readonly vocabSize: number;
  /** Past concatenated with this forward's keys/values. The caller keeps it as the next past or disposes it. */
  readonly present: KeyValueCache;
}

export interface TransformerInfo {
  readonly vocabSize: number;
  /** Positions the model has embeddings for. */
  readonly maxPositions: number;
  readonly numLayers: number;
  /** Whether the model honours a full 4D mask (false: standard decoder export with a 2D padding mask, causal only). */
  readonly supportsOmniAttention: boolean;
  /** Kinds of EncoderInput the model embeds itself (e.g. ['image']); none when absent: ids only. */
  readonly encoderInputs?: readonly string[];
}

export interface Transformer {
  readonly info: TransformerInfo;
  forward(input: ForwardInput): Promise<ForwardOutput>;
  dispose(): Promise<void>;
}
