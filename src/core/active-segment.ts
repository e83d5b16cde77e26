import type { GenerateSegment } from './request.ts';
import type { DecodeScheduler, SchedulerContext, SegmentCanvas } from './scheduler.ts';
import type { SegmentSpan } from './sequence-layout.ts';
import type { StepLogitsView } from './step-logits-view.ts';
import type { StopList } from './stop-conditions.ts';

/** A generated segment while it is decoded: where it sits, who decides, its canvas and stop rules. */
export interface ActiveSegment {
  readonly span: SegmentSpan;
  readonly segment: GenerateSegment;
  readonly scheduler: DecodeScheduler;
  readonly canvas: SegmentCanvas;
  readonly context: SchedulerContext;
  readonly view: StepLogitsView;
  /** [rows] each row's stop conditions (rows of a batch may stop differently). */
  readonly stops: readonly StopList[];
  /** [rows] how far each row's known prefix has been checked by the stop conditions. */
  readonly stopChecked: Int32Array;
}
