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
   * Set when a text stream that opens images met a limit of its request: 'max tokens' — the row drew
   * <|soi|> with no room left for an image and its markers, and stopped there (nothing of that image
   * written); 'max images' — the row opened its whole image budget, after which <|soi|> was blocked.
   */
  readonly limit?: 'max tokens' | 'max images';
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
