import * as ort from 'onnxruntime-node';
import type { ForwardInput } from '../../core/transformer.ts';
import { numberToHalf } from './float16.ts';
import { GrowingBuffer } from './growing-buffer.ts';
import type { IdType, TransformerSignature } from './onnx-signature.ts';

const HALF_ONE = numberToHalf(1);

/**
 * The input tensors of one forward in the file's own types: ids, positions and masks converted at
 * the boundary into buffers reused across forwards (they grow to the largest forward and stay), and
 * the optional inputs of standard exports as constant tensors made once.
 */
export class TransformerFeeds {
  private readonly ids = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly positions = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly maskFloat = new GrowingBuffer((n) => new Float32Array(n));
  private readonly maskHalf = new GrowingBuffer((n) => new Uint16Array(n));
  private readonly maskInt64 = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly maskInt32 = new GrowingBuffer((n) => new Int32Array(n));
  private readonly emptyPast: Float32Array | Uint16Array;
  /** num_logits_to_keep = 0 (every position) and 1 (the last). */
  private readonly keepAll: ort.Tensor | undefined;
  private readonly keepLast: ort.Tensor | undefined;
  private readonly cacheBranch: readonly [ort.Tensor, ort.Tensor] | undefined;

  constructor(private readonly signature: TransformerSignature) {
    this.emptyPast = signature.pastType === 'float16' ? new Uint16Array(0) : new Float32Array(0);
    const keep = signature.logitsToKeep;
    const scalar = (value: number): ort.Tensor | undefined => {
      if (keep === undefined) return undefined;
      return keep.type === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.of(BigInt(value)), keep.dims)
        : new ort.Tensor('int32', Int32Array.of(value), keep.dims);
    };
    this.keepAll = scalar(0);
    this.keepLast = scalar(1);
    this.cacheBranch = signature.useCacheBranch
      ? [new ort.Tensor('bool', Uint8Array.of(0), [1]), new ort.Tensor('bool', Uint8Array.of(1), [1])]
      : undefined;
  }

  /** Whether a forward asking for the last position gets only its logits from this file. */
  get keepsLastOnly(): boolean {
    return this.keepLast !== undefined;
  }

  /** Every input but the past: ids, positions, mask, and the optional inputs the file has. */
  build(input: ForwardInput, pastLength: number): Record<string, ort.Tensor> {
    const { batch, length } = input;
    const { inputIdsType, positionIdsType } = this.signature;
    const dims = [batch, length];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: this.idTensor(inputIdsType, this.ids, input.inputIds, dims),
      attention_mask: this.maskTensor(input, pastLength),
    };
    if (positionIdsType !== undefined) feeds.position_ids = this.idTensor(positionIdsType, this.positions, input.positionIds, dims);
    const keep = input.logitsFor === 'last' ? this.keepLast : this.keepAll;
    if (keep !== undefined) feeds.num_logits_to_keep = keep;
    if (this.cacheBranch !== undefined) feeds.use_cache_branch = this.cacheBranch[pastLength > 0 ? 1 : 0];
    return feeds;
  }

  /** A zero-length past [B, heads, 0, headDim] in the file's past type (ORT's Concat accepts it). */
  emptyPastTensor(batch: number): ort.Tensor {
    const dims = [batch, this.signature.numHeads, 0, this.signature.headDim];
    return this.emptyPast instanceof Uint16Array ? new ort.Tensor('float16', this.emptyPast, dims) : new ort.Tensor('float32', this.emptyPast, dims);
  }

  private idTensor(type: IdType, buffer: GrowingBuffer<BigInt64Array>, source: Int32Array, dims: readonly number[]): ort.Tensor {
    // int32 graphs take the caller's array as is (ORT only reads it during the run).
    if (type === 'int32') return new ort.Tensor('int32', source, dims);
    const out = buffer.view(source.length);
    for (let i = 0; i < source.length; i++) out[i] = BigInt(source[i] ?? 0);
    return new ort.Tensor('int64', out, dims);
  }

  private maskTensor(input: ForwardInput, pastLength: number): ort.Tensor {
    const { batch, length, attentionMask } = input;
    const total = pastLength + length;
    const { maskRank, maskType } = this.signature;
    if (maskRank === 4) {
      const dims = [batch, 1, length, total];
      if (maskType === 'float16') {
        const out = this.maskHalf.view(attentionMask.length);
        for (let i = 0; i < attentionMask.length; i++) out[i] = attentionMask[i] === 0 ? 0 : HALF_ONE;
        return new ort.Tensor('float16', out, dims);
      }
      const out = this.maskFloat.view(attentionMask.length);
      for (let i = 0; i < attentionMask.length; i++) out[i] = attentionMask[i] === 0 ? 0 : 1;
      return new ort.Tensor('float32', out, dims);
    }
    // A standard export only takes which keys are real: column k counts as visible iff the last
    // query row may attend it (with left padding the last row is a real token seeing every
    // non-pad key; the model adds causality itself, so bidirectional blocks are not honoured).
    const dims = [batch, total];
    const visible = (b: number, k: number): boolean => attentionMask[(b * length + length - 1) * total + k] !== 0;
    switch (maskType) {
      case 'int64': {
        const out = this.maskInt64.view(batch * total);
        for (let b = 0; b < batch; b++) for (let k = 0; k < total; k++) out[b * total + k] = visible(b, k) ? 1n : 0n;
        return new ort.Tensor('int64', out, dims);
      }
      case 'int32': {
        const out = this.maskInt32.view(batch * total);
        for (let b = 0; b < batch; b++) for (let k = 0; k < total; k++) out[b * total + k] = visible(b, k) ? 1 : 0;
        return new ort.Tensor('int32', out, dims);
      }
      default: {
        const out = this.maskFloat.view(batch * total);
        for (let b = 0; b < batch; b++) for (let k = 0; k < total; k++) out[b * total + k] = visible(b, k) ? 1 : 0;
        return new ort.Tensor('float32', out, dims);
      }
    }
  }
}
