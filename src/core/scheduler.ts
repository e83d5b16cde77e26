import type { ParameterSchema, ParameterShape } from './config/parameter-schema.ts';
import type { Modality } from './request.ts';
import type { SeededRandom } from './sampling/seeded-random.ts';
import type { Sampler, SamplerInput } from './sampling/sampler.ts';
import type { UnifiedVocabulary } from './unified-vocabulary.ts';
import type { CommitList } from './commit-list.ts';
import type { GuidanceForm } from './sampling/classifier-free-guidance.ts';

/**
 * How the engine feeds a scheduler's segment to the model:
 * - `append`: causal; the segment's newly committed tokens are fed after the cached past, which grows
 *   (AR with a KV cache). Logits arrive for the next position only.
 * - `block`: bidirectional; the whole segment (mask tokens included) is fed every step after the cached
 *   prefix, whose keys/values are reused; the block's own keys/values are dropped.
 */
export type FeedMode = 'append' | 'block';

/** The tokens of one generated segment for every conditional row. The engine owns the buffers. */
export interface SegmentCanvas {
  readonly rows: number;
  readonly length: number;
  /** [rows, length] unified token ids; the mask token where unknown. */
  readonly tokens: Int32Array;
  /** [rows, length] 1 where the token is given or committed (never to change again). */
  readonly known: Uint8Array;
  /** [rows, length] the scheduler's current full guess (x0 preview); equals tokens where known. */
  readonly preview: Int32Array;
  /** [rows] 1 once a row needs nothing more (e.g. it emitted EOS). */
  readonly finished: Uint8Array;
  /** [rows] tokens that count as output (text stops before EOS/stop string); starts at `length`. */
  readonly ends: Int32Array;
}

export interface SchedulerContext {
  readonly canvas: SegmentCanvas;
  readonly vocabulary: UnifiedVocabulary;
  readonly modality: Modality;
  /** The columns of the vocabulary this segment draws from (the codebook, or the text ids). */
  readonly candidates: { readonly offset: number; readonly count: number };
  /** The segment's own stream, derived from the request seed. */
  readonly rng: SeededRandom;
  /** Image segments: the token grid (raster order). */
  readonly grid?: { readonly height: number; readonly width: number };
  /** Text segments: ids -> text, for stop strings. */
  readonly decodeText?: (ids: ArrayLike<number>) => string;
  /** A sampler whose `processors` resolve against the registered logits processors (plugins included). */
  createSampler(options: SamplerInput): Sampler;
}

/** Read access to one forward's logits for the segment. */
export interface StepLogits {
  /** The raw logits buffer; schedulers may modify it in place. */
  readonly data: Float32Array;
  readonly vocabSize: number;
  /** Index in `data` of column 0 for a conditional row at a segment position. */
  offset(row: number, position: number): number;
  /** Same for the row's unconditional twin, or -1 when none was run. */
  unconditionalOffset(row: number, position: number): number;
}

export interface StepInfo {
  /** 0-based step within the segment. */
  readonly index: number;
  /** Append mode: the segment position these logits predict. Block mode: -1. */
  readonly position: number;
}

/** Classifier-free guidance a scheduler asks for: the engine applies it once per step, before `step`. */
export interface GuidanceSetting {
  /** w > 0; the engine runs the unconditional rows and mixes them in. */
  readonly scale: number;
  readonly form: GuidanceForm;
}

/** What one step decided: the commits (the engine writes them) and whether the segment is complete. */
export interface StepDecision {
  readonly commits: CommitList;
  /** The scheduler's full guess (x0 preview) [rows, length], or null to keep the last one. */
  readonly preview: Int32Array | null;
  /** True when the scheduler has nothing more to commit. */
  readonly done: boolean;
}

/**
 * A scheduler decides; it never calls the model and never writes the canvas. The engine feeds the
 * model, applies guidance, checks the logits, applies the returned commits (refusing a known
 * position or a token outside the candidates), stops rows, counts steps and emits events.
 */
export interface DecodeScheduler {
  readonly mode: FeedMode;
  /** Classifier-free guidance, or null for none. */
  readonly guidance: GuidanceSetting | null;
  /** Steps it expects to take (for progress); append mode may stop earlier. */
  plannedSteps(context: SchedulerContext): number;
  begin(context: SchedulerContext): void;
  /** Reads the guided logits of the segment; returns the step's decisions. */
  step(logits: StepLogits, info: StepInfo): StepDecision;
}

export type SchedulerClass = new (...args: never[]) => DecodeScheduler;

/** A scheduler as registered in the container: name, parameters with defaults, and the class. */
export interface SchedulerDefinition {
  readonly name: string;
  readonly description: string;
  readonly modalities: readonly Modality[];
  readonly parameters: ParameterSchema<ParameterShape>;
  /** Constructed by the container with SCHEDULER_OPTIONS bound to the parsed parameters. */
  readonly scheduler: SchedulerClass;
  /** Where it came from: "built-in" or the plugin's path (filled by the plugin loader). */
  source?: string;
}
