import { AbortError, InvalidRequestError } from './errors.ts';
import type { GenerateOptions } from './generate-options.ts';
import { writeAttentionMask } from './omni-attention-mask.ts';
import type { SegmentSpan, SequenceLayout } from './sequence-layout.ts';
import type { StepEvent } from './step-event.ts';
import type { EncodedSpan, ForwardOutput, KeyValueCache, LogitsSpan, Transformer } from './transformer.ts';

const NO_ENCODED_SPANS: readonly EncodedSpan[] = [];

export interface ForwardBuffers {
  readonly inputIds: Int32Array;
  readonly positionIds: Int32Array;
  readonly attentionMask: Uint8Array;
}

/**
 * The mutable state of one generate call: the laid-out sequence, the KV cache of what has been fed,
 * counters, observers. The engine itself stays stateless and reusable; feed strategies work on this.
 */
export class DecodingRun {
  past: KeyValueCache | undefined;
  /** Positions [0, fedLength) are in `past`. */
  fedLength = 0;
  forwardPasses = 0;
  modelMs = 0;
  schedulerMs = 0;
  prefillMs = 0;

  constructor(
    readonly model: Transformer,
    readonly layout: SequenceLayout,
    readonly options: GenerateOptions,
    readonly observers: readonly ((event: StepEvent) => void)[],
    readonly padTokenId: number,
    /** How an unconditional twin row sees a token written to its conditional row (default: the same token). */
    private readonly twinToken: (id: number) => number = (id) => id,
  ) {
    const kinds = model.info.encoderInputs ?? [];
    for (const placed of layout.encoded) {
      if (!kinds.includes(placed.input.kind)) {
        throw new InvalidRequestError(`${placed.where}.kind`, placed.input.kind,
          kinds.length === 0 ? 'no encoded segment: this model embeds ids only' : `one of the model's encoder inputs: ${kinds.join(', ')}`);
      }
    }
  }

  checkAbort(): void {
    const { signal } = this.options;
    if (signal?.aborted) throw new AbortError(signal.reason);
  }

  /**
   * Feeds the sequence's ids [fedLength, end) after the cached past; the present becomes the past.
   * Only the last position's logits are asked for (the next token's); the output may still hold all.
   */
  async feedPending(end: number): Promise<ForwardOutput | undefined> {
    if (this.fedLength >= end) return undefined;
    const started = performance.now();
    const output = await this.forward(this.fedLength, end, undefined, 'last');
    this.replacePast(output, end);
    this.prefillMs += performance.now() - started;
    return output;
  }

  /** The present of a forward that extended the fed prefix to `end` becomes the past (the old one is disposed). */
  replacePast(output: ForwardOutput, end: number): void {
    this.past?.dispose();
    this.past = output.present;
    this.fedLength = end;
  }

  /**
   * One forward over positions [start, end) of every row after the cached past (which holds exactly
   * [0, start)). Ids come from the layout unless `buffers` (already filled) are given. With
   * `logitsFor` 'last' the output's logits may cover only each row's last position.
   */
  async forward(start: number, end: number, buffers: ForwardBuffers | undefined, logitsFor: LogitsSpan = 'all'): Promise<ForwardOutput> {
    this.checkAbort();
    const { layout } = this;
    const length = end - start;
    const rows = layout.totalRows;
    const own = buffers ?? this.createBuffers(start, end);
    if (buffers === undefined) {
      for (let row = 0; row < rows; row++) own.inputIds.set(layout.ids.subarray(row * layout.length + start, row * layout.length + end), row * length);
    }
    const encoded = this.encodedIn(start, end);
    const began = performance.now();
    const output = await this.model.forward({
      inputIds: own.inputIds, positionIds: own.positionIds, attentionMask: own.attentionMask,
      batch: rows, length, ...(this.past ? { past: this.past } : {}), ...(logitsFor === 'last' ? { logitsFor } : {}),
      ...(encoded.length > 0 ? { encoded } : {}),
    });
    this.modelMs += performance.now() - began;
    this.forwardPasses += 1;
    if (this.options.signal?.aborted) {
      output.present.dispose();
      this.checkAbort();
    }
    return output;
  }

  /**
   * The encoded segments inside [start, end), relative to start; one cut by the range cannot be fed.
   * Called every step: an AR step (past the prefill) finds none and allocates nothing.
   */
  private encodedIn(start: number, end: number): readonly EncodedSpan[] {
    let spans: EncodedSpan[] | undefined;
    for (const { row, start: at, length, input, where } of this.layout.encoded) {
      if (at + length <= start || at >= end) continue;
      if (at < start || at + length > end) {
        throw new InvalidRequestError(where, `positions ${at}-${at + length - 1} cut by a forward over ${start}-${end - 1}`, 'an encoded segment fed whole in one forward');
      }
      (spans ??= []).push({ row, start: at - start, length, input });
    }
    return spans ?? NO_ENCODED_SPANS;
  }

  /** Ids, positions and the mask for a forward over [start, end); the mask depends only on the layout. */
  createBuffers(start: number, end: number): ForwardBuffers {
    const { layout } = this;
    const rows = layout.totalRows;
    const length = end - start;
    const inputIds = new Int32Array(rows * length);
    const positionIds = new Int32Array(rows * length);
    const attentionMask = new Uint8Array(rows * length * end);
    for (let row = 0; row < rows; row++) {
      for (let i = 0; i < length; i++) positionIds[row * length + i] = start + i;
      writeAttentionMask(layout.attention[row] as SequenceLayout['attention'][number], start, end, attentionMask, row * length * end);
    }
    return { inputIds, positionIds, attentionMask };
  }

  /** Copies canvas positions [from, to) of a segment into the layout's ids (every row, twins included). */
  writeSegmentIds(span: SegmentSpan, tokens: Int32Array, from: number, to: number): void {
    const { layout } = this;
    for (let row = 0; row < layout.totalRows; row++) {
      const source = (row % layout.rows) * span.length;
      const twin = row >= layout.rows;
      for (let position = from; position < to; position++) {
        const id = twin ? this.twinToken(tokens[source + position] as number) : tokens[source + position] as number;
        layout.ids[row * layout.length + span.start + position] = id;
        // Padding written for a stopped row is blocked for everything after it.
        (layout.attention[row] as SequenceLayout['attention'][number]).pad[span.start + position] = id === this.padTokenId ? 1 : 0;
      }
    }
  }

  dispose(): void {
    this.past?.dispose();
    this.past = undefined;
  }
}
