/** What the engine tells observers after each scheduler step. */
export interface StepEvent {
  readonly type: 'step';
  /** Index of the segment in the request. */
  readonly segment: number;
  readonly scheduler: string;
  readonly step: number;
  readonly plannedSteps: number;
  /** Per conditional row, the segment positions committed by this step. */
  readonly committed: readonly (readonly number[])[];
  /** Copy of the committed tokens [rows, length] (mask id where unknown). */
  readonly canvas: Int32Array;
  /** Copy of the x0 preview [rows, length]. */
  readonly preview: Int32Array;
  readonly rows: number;
  readonly length: number;
  /** Model forward passes so far in this generation. */
  readonly forwardPasses: number;
  /** An image opened while decoding a text stream: its 0-based index in that row's stream. */
  readonly image?: number;
  /**
   * The batch rows `committed` and `canvas` cover, when a call decodes its batch in parts (layout
   * groups, streams row by row); absent when the step covers the whole batch in order.
   */
  readonly batchRows?: readonly number[];
}
