import type { StepEvent } from './step-event.ts';

export interface GenerateOptions {
  /** Fixes every random draw: an integer in [0, 2^32) (ConfigError otherwise). Default 0. */
  readonly seed?: number;
  /**
   * Names an independent stream of that seed, for callers that split one run into several
   * generate calls (the pipeline's batches: `batch-0`, `batch-1`, ...).
   */
  readonly stream?: string;
  readonly signal?: AbortSignal;
  readonly onStep?: (event: StepEvent) => void;
}
