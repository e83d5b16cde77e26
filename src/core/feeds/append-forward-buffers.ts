import type { DecodingRun, ForwardBuffers } from '../decoding-run.ts';
import { writeAttentionMask } from '../omni-attention-mask.ts';
import type { SequenceLayout } from '../sequence-layout.ts';

/**
 * The append feed's forward inputs, kept across steps: the storage doubles when a forward needs
 * more (the mask gains a key column every step) and exact-length views are handed out, so an AR
 * step allocates no ids, positions or mask. Filled as DecodingRun.createBuffers fills new ones.
 * Safe because the engine awaits each forward before the next step: a backend reads its inputs
 * during the forward only.
 */
export class AppendForwardBuffers {
  private ids = new Int32Array(0);
  private positions = new Int32Array(0);
  private mask = new Uint8Array(0);

  /** Ids (from the layout), positions and mask for a forward over [start, end) of every row. */
  fill(run: DecodingRun, start: number, end: number): ForwardBuffers {
    const { layout } = run;
    const rows = layout.totalRows;
    const length = end - start;
    const tokens = rows * length;
    if (this.ids.length < tokens) {
      this.ids = new Int32Array(Math.max(tokens, 2 * this.ids.length));
      this.positions = new Int32Array(this.ids.length);
    }
    if (this.mask.length < tokens * end) this.mask = new Uint8Array(Math.max(tokens * end, 2 * this.mask.length));
    const inputIds = this.ids.subarray(0, tokens);
    const positionIds = this.positions.subarray(0, tokens);
    const attentionMask = this.mask.subarray(0, tokens * end);
    for (let row = 0; row < rows; row++) {
      inputIds.set(layout.ids.subarray(row * layout.length + start, row * layout.length + end), row * length);
      for (let i = 0; i < length; i++) positionIds[row * length + i] = start + i;
      writeAttentionMask(layout.attention[row] as SequenceLayout['attention'][number], start, end, attentionMask, row * length * end);
    }
    return { inputIds, positionIds, attentionMask };
  }
}
