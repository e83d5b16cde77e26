import type { TimingSummary } from './timing.ts';
import type { ScalingModelSpec } from './scaling.ts';

/** What the scaling section reports (results.json's `scaling`). */

export interface ScalingRun {
  readonly model: string;
  readonly grid: string;
  readonly imageTokens: number;
  readonly setting: string;
  readonly forwardPasses: number;
  readonly wall: TimingSummary;
  /** Median over runs of the engine's time inside model.forward. */
  readonly modelMs: number;
  /** Median over runs of the scheduler's time (sampling + selection). */
  readonly schedulerMs: number;
  /** 1 − Σ modelMs / Σ wallMs over the runs. */
  readonly engineOverhead: number;
  /** Baselines: whether they produced exactly the cached run's tokens (first run, same seed). */
  readonly sameTokensAsCached?: string;
}

export interface StepProfilePoint {
  readonly position: number;
  /** Median forward time of the steps within ±window of this position (ms). */
  readonly forwardMs: number;
  /** Median engine step time (forward start to next forward start: forward + scheduler + engine) (ms). */
  readonly stepMs: number;
}

export interface StepProfile {
  readonly model: string;
  readonly grid: string;
  readonly variant: 'KV cache' | 'no KV cache';
  readonly points: readonly StepProfilePoint[];
  /** Step time near the last position over step time near the first. */
  readonly lastOverFirst: number;
}

/** Forward time at fixed past lengths, measured round-robin across positions (same load for all). */
export interface ForwardByPosition {
  readonly model: string;
  readonly grid: string;
  readonly variant: 'KV cache: 1 new token after a past of prefix + p' | 'no KV cache: one forward over all prefix + p + 1 tokens';
  readonly points: readonly { position: number; wall: TimingSummary }[];
  /** Median at the last position over the median at the first. */
  readonly lastOverFirst: number;
}

export interface SamplerCost {
  readonly model: string;
  readonly grid: string;
  readonly logits: string;
  readonly steps: number;
  readonly samplerMsPerStep: number;
  readonly forwardMsPerStep: number;
  readonly share: number;
}

export interface PrefixCacheGain {
  readonly model: string;
  readonly grid: string;
  readonly promptTokens: number;
  readonly sequenceTokens: number;
  readonly promptShare: number;
  readonly cachedMs: number;
  readonly recomputeMs: number;
  /** 1 − cached / recompute. */
  readonly cut: number;
  /** Relative spread of the samples: max over both variants of sd / median (NaN with one sample each). */
  readonly spread: number;
  readonly samples: number;
  /** Per step, interleaved: the image block after the cached prefix vs the whole sequence re-fed. */
  readonly blockForward: TimingSummary;
  readonly fullForward: TimingSummary;
  /** 1 − block / full: the forward time the cache saves per step. */
  readonly forwardCut: number;
}

export interface GuidanceBatching {
  readonly model: string;
  readonly grid: string;
  readonly batchedMs: TimingSummary;
  readonly separateMs: TimingSummary;
  /** separate / batched. */
  readonly speedup: number;
}

export interface ArCacheGain {
  readonly model: string;
  readonly grid: string;
  readonly generatedTokens: number;
  readonly cachedMs: number;
  readonly noCacheMs: number;
  readonly speedup: number;
  readonly identical: string;
}

export interface ScalingReport {
  readonly plan: { textVocab: number; codebook: number; vocabSize: number; promptTokens: number; models: readonly (ScalingModelSpec & { parameters: number; fileMB: number; writeSeconds: number })[] };
  readonly probes: readonly { model: string; grid: string; prefillMs: number; stepMs: number; blockMs: number; fullMs: number }[];
  readonly runs: readonly ScalingRun[];
  readonly stepProfiles: readonly StepProfile[];
  readonly forwardByPosition: readonly ForwardByPosition[];
  readonly samplerCosts: readonly SamplerCost[];
  readonly prefixCache: readonly PrefixCacheGain[];
  readonly guidanceBatching: readonly GuidanceBatching[];
  readonly arCache: readonly ArCacheGain[];
  readonly notes: readonly string[];
}
