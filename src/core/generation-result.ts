import type { Modality } from './request.ts';

export interface SegmentResult {
  readonly index: number;
  readonly start: number;
  readonly length: number;
  /** The segment's tokens (unified ids). */
  readonly tokens: Int32Array;
  /** Generated segments: the scheduler that filled it. */
  readonly scheduler?: string;
  readonly modality?: Modality;
  /** Generated segments: tokens that count as output (text stops before EOS or a stop string). */
  readonly end?: number;
}

export interface RowResult {
  /** The whole sequence (unified ids). */
  readonly tokens: Int32Array;
  readonly segments: readonly SegmentResult[];
  /**
   * Set when a text stream that opens images stopped at a limit of its request: the row drew <|soi|>
   * with no room left for an image and its markers ('max tokens'). Nothing of that image was written.
   */
  readonly limit?: 'max tokens';
}

export interface PhaseStats {
  readonly segment: number;
  readonly scheduler: string;
  readonly steps: number;
  readonly forwardPasses: number;
  readonly wallMs: number;
  readonly modelMs: number;
  readonly schedulerMs: number;
}

export interface GenerationStats {
  readonly forwardPasses: number;
  readonly wallMs: number;
  /** Time inside transformer.forward. */
  readonly modelMs: number;
  /** Time inside scheduler steps (sampling and selection). */
  readonly schedulerMs: number;
  /** Feeding given tokens before a generated segment (prompt prefill). */
  readonly prefillMs: number;
  readonly phases: readonly PhaseStats[];
}

export interface GenerationResult {
  readonly rows: readonly RowResult[];
  readonly stats: GenerationStats;
}
