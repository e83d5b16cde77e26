import type { ActiveSegment } from '../active-segment.ts';
import type { DecodingRun } from '../decoding-run.ts';

/**
 * How a segment is fed to the model, step after step. The engine picks one per segment from the
 * scheduler's mode; it owns the forwards and the KV cache, the scheduler only decides.
 */
export interface FeedStrategy {
  /** Feeds what precedes the segment (the cached prefix) and prepares the first step's logits. */
  begin(run: DecodingRun, active: ActiveSegment): Promise<void>;
  /** Runs (or reuses) the forward whose logits this step reads; points `active.view` at them. */
  logits(run: DecodingRun, active: ActiveSegment): Promise<void>;
  /** The segment position the logits predict (append), or -1 when they cover the whole segment (block). */
  readonly position: number;
  /** Whether this step reads the logits at (row, position): the engine checks and guides only those. */
  reads(active: ActiveSegment, row: number, position: number): boolean;
  /** After the step's commits: feeds what the next step needs. Returns false when nothing is left to feed. */
  advance(run: DecodingRun, active: ActiveSegment): Promise<boolean>;
}

/** One strategy per scheduler mode; a new instance per segment (strategies keep per-segment state). */
export type FeedStrategyFactory = () => FeedStrategy;
