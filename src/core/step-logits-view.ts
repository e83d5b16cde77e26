import type { StepLogits } from './scheduler.ts';

/**
 * Logits of one forward over `length` positions for `rows` conditional rows followed by their
 * unconditional twins (when `hasUnconditional`). `positionBase` maps a segment position to the
 * forward's position axis. One instance per segment, re-pointed at each forward's buffer.
 */
export class StepLogitsView implements StepLogits {
  data: Float32Array = new Float32Array(0);
  vocabSize = 0;
  private length = 0;
  private positionBase = 0;

  constructor(private readonly rows: number, private readonly hasUnconditional: boolean) {}

  point(data: Float32Array, vocabSize: number, length: number, positionBase: number): void {
    this.data = data;
    this.vocabSize = vocabSize;
    this.length = length;
    this.positionBase = positionBase;
  }

  offset(row: number, position: number): number {
    return (row * this.length + position - this.positionBase) * this.vocabSize;
  }

  unconditionalOffset(row: number, position: number): number {
    if (!this.hasUnconditional) return -1;
    return ((this.rows + row) * this.length + position - this.positionBase) * this.vocabSize;
  }
}
