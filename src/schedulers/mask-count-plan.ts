import type { SegmentCanvas } from '../core/scheduler.ts';
import { float32MaskedCount, resolveFloat32MaskSchedule } from './float32-mask-schedule.ts';
import { progressAfter } from './mask-schedule.ts';

/**
 * How many positions stay masked after each step of a T-step schedule (MaskGIT / Show-o): the
 * schedule's fraction of the full segment (Show-o) or of the initially unknown tokens (MaskGIT),
 * clamped to [1, unknown − 1] so every step but the last commits something and keeps something.
 * Computed in float32 on purpose, as Show-o computes it (float32-mask-schedule.ts): at T = 12 on
 * 256 tokens cosine keeps 127 masked after step 8 there, 128 in double.
 */
export class MaskCountPlan {
  private readonly schedule: (t: number) => number;
  private initialUnknown = new Int32Array(0);
  private length = 0;

  constructor(private readonly steps: number, schedule: string, private readonly relativeTo: 'full' | 'unknown') {
    this.schedule = resolveFloat32MaskSchedule(schedule, 'schedule', steps);
  }

  /** Counts each row's unknown positions once, at the start of the segment. */
  begin(canvas: SegmentCanvas): void {
    const { rows, length, known } = canvas;
    this.length = length;
    this.initialUnknown = new Int32Array(rows);
    for (let row = 0; row < rows; row++) {
      let unknown = 0;
      for (let position = 0; position < length; position++) unknown += known[row * length + position] === 0 ? 1 : 0;
      this.initialUnknown[row] = unknown;
    }
  }

  maskedAfter(step: number, unknownNow: number, row: number): number {
    if (step >= this.steps - 1 || unknownNow === 0) return 0;
    const base = this.relativeTo === 'full' ? this.length : (this.initialUnknown[row] as number);
    const masked = float32MaskedCount(base, this.schedule(progressAfter(step, this.steps)));
    return Math.max(1, Math.min(unknownNow - 1, masked));
  }
}
