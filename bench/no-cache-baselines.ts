import type { ForwardInput, ForwardOutput, KeyValueCache, Transformer, TransformerInfo } from '../src/core/transformer.ts';

/**
 * Baselines without caching, as Show-o runs them: every forward recomputes the whole sequence.
 *
 * `RecomputeTransformer` wraps a model behind the same Transformer interface the engine drives. It
 * never hands the inner model a past: it keeps a tape of every id, position and attention row fed so
 * far, and when the engine asks for positions [P, P + L) after a "past" of length P, it runs ONE
 * forward over all P + L positions with no past and returns the logits of the last L. So
 * - the autoregressive scheduler through it is AR *without a KV cache* (one full forward per token),
 * - maskgit through it re-feeds the text prefix every step (no prefix cache),
 * with the same engine, scheduler, sampler and seed as the cached runs: only the caching differs,
 * so the tokens can be compared one for one.
 */
export class RecomputeTransformer implements Transformer {
  readonly info: TransformerInfo;
  private batch = 0;
  private capacity = 0;
  private ids = new Int32Array(0);
  private positions = new Int32Array(0);
  /** [batch, capacity, capacity]: the attention row each fed position had (keys beyond it zero). */
  private mask = new Uint8Array(0);
  /** Positions fed in one forward each call (the sequence length the model actually ran). */
  readonly fedLengths: number[] = [];

  constructor(private readonly inner: Transformer) {
    this.info = inner.info;
  }

  private reset(batch: number): void {
    this.batch = batch;
    this.capacity = this.inner.info.maxPositions;
    this.ids = new Int32Array(batch * this.capacity);
    this.positions = new Int32Array(batch * this.capacity);
    this.mask = new Uint8Array(batch * this.capacity * this.capacity);
  }

  async forward(input: ForwardInput): Promise<ForwardOutput> {
    const { batch, length } = input;
    const past = input.past?.length ?? 0;
    if (past === 0) this.reset(batch);
    if (batch !== this.batch) throw new Error(`recompute baseline: batch ${batch} after a past of batch ${this.batch}`);
    const total = past + length;
    if (total > this.capacity) throw new Error(`recompute baseline: ${total} positions exceed maxPositions ${this.capacity}`);
    const cap = this.capacity;
    // Record what this forward adds: ids, positions, and each new query's row over keys [0, total).
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < length; i++) {
        const at = b * cap + past + i;
        this.ids[at] = input.inputIds[b * length + i] as number;
        this.positions[at] = input.positionIds[b * length + i] as number;
        const row = at * cap;
        this.mask.set(input.attentionMask.subarray((b * length + i) * total, (b * length + i + 1) * total), row);
        this.mask.fill(0, row + total, row + cap);
      }
    }
    const ids = new Int32Array(batch * total);
    const positions = new Int32Array(batch * total);
    const mask = new Uint8Array(batch * total * total);
    for (let b = 0; b < batch; b++) {
      ids.set(this.ids.subarray(b * cap, b * cap + total), b * total);
      positions.set(this.positions.subarray(b * cap, b * cap + total), b * total);
      for (let q = 0; q < total; q++) {
        const row = (b * cap + q) * cap;
        mask.set(this.mask.subarray(row, row + total), (b * total + q) * total);
      }
    }
    this.fedLengths.push(total);
    const output = await this.inner.forward({ inputIds: ids, positionIds: positions, attentionMask: mask, batch, length: total });
    output.present.dispose();
    const vocab = output.vocabSize;
    let logits: Float32Array;
    if (past === 0) logits = output.logits;
    else if (batch === 1) logits = output.logits.subarray(past * vocab, total * vocab);
    else {
      logits = new Float32Array(batch * length * vocab);
      for (let b = 0; b < batch; b++) {
        logits.set(output.logits.subarray((b * total + past) * vocab, (b * total + total) * vocab), b * length * vocab);
      }
    }
    const present: KeyValueCache = { batch, length: total, dispose: () => undefined };
    return { logits, vocabSize: vocab, present };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** One forward as the engine issued it. */
export interface ForwardRecord {
  readonly batch: number;
  readonly past: number;
  readonly length: number;
  /** performance.now() when the engine called forward. */
  readonly startedAt: number;
  readonly ms: number;
}

/**
 * Passes every call through and records its shape and time, so a run can be broken down per step
 * (AR step time against position). Adds one performance.now() pair per forward.
 */
export class TimedTransformer implements Transformer {
  readonly info: TransformerInfo;
  records: ForwardRecord[] = [];

  constructor(private readonly inner: Transformer) {
    this.info = inner.info;
  }

  async forward(input: ForwardInput): Promise<ForwardOutput> {
    const startedAt = performance.now();
    const output = await this.inner.forward(input);
    this.records.push({ batch: input.batch, past: input.past?.length ?? 0, length: input.length, startedAt, ms: performance.now() - startedAt });
    return output;
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
