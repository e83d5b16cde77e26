import type { ActiveSegment } from './active-segment.ts';
import type { DecodingRun } from './decoding-run.ts';
import { OmnidecodeError, PluginError } from './errors.ts';
import { BidirectionalBlockFeed } from './feeds/bidirectional-block-feed.ts';
import { CausalAppendFeed } from './feeds/causal-append-feed.ts';
import type { FeedStrategyFactory } from './feeds/feed-strategy.ts';
import type { PhaseStats } from './generation-result.ts';
import type { GenerateSegment } from './request.ts';
import type { DecodeScheduler, FeedMode, SchedulerContext, SegmentCanvas } from './scheduler.ts';
import type { SchedulerRegistry } from './scheduler-registry.ts';
import type { LogitsProcessorRegistry } from './sampling/logits-processor-registry.ts';
import { Sampler, type SamplerInput } from './sampling/sampler.ts';
import type { SeededRandom } from './sampling/seeded-random.ts';
import { SegmentStep } from './segment-step.ts';
import type { SegmentSpan } from './sequence-layout.ts';
import { StepLogitsView } from './step-logits-view.ts';
import { StopList } from './stop-conditions.ts';
import type { UnifiedVocabulary } from './unified-vocabulary.ts';

/** The feed strategy each scheduler mode gets; the loop never branches on the mode. */
const FEEDS: Readonly<Record<FeedMode, FeedStrategyFactory>> = {
  append: () => new CausalAppendFeed(),
  block: () => new BidirectionalBlockFeed(),
};

/** Extra per-segment rules: columns no row may draw, and a check after each step that may end the segment early. */
export interface SegmentRules {
  /** Candidate columns blocked (set to -Infinity) at every read position, e.g. padding, or <|soi|> past the image limit. */
  readonly blockedTokens?: readonly number[];
  /** Widens the candidate range (e.g. text plus <|soi|>). */
  readonly candidates?: { readonly offset: number; readonly count: number };
  /** Called after each applied step; returning true ends the segment there (nothing padded). */
  readonly interrupt?: (active: ActiveSegment, step: number) => boolean;
  /** Added to step events: which image of a text stream this segment is. */
  readonly image?: number;
}

export interface DecodedSegment {
  readonly phase: PhaseStats;
  /** True when `interrupt` ended it. */
  readonly interrupted: boolean;
}

/**
 * Decodes one generated segment inside a run: builds its canvas, context and stop rules, then loops
 * feed → check → guide → scheduler decides → apply → stop rows → emit until complete.
 */
export class SegmentDecoder {
  constructor(
    private readonly vocabulary: UnifiedVocabulary,
    private readonly registry: SchedulerRegistry,
    private readonly decodeText: ((ids: ArrayLike<number>) => string) | undefined,
    private readonly processors: LogitsProcessorRegistry | undefined,
  ) {}

  /** `owner`: how errors name the options (the user's path). */
  createScheduler(segment: GenerateSegment, index: number, owner = `segments[${index}].options`): DecodeScheduler {
    return this.registry.create(segment.scheduler, segment.options ?? {}, owner, segment.modality);
  }

  /** Each row's stop conditions for a generated segment (validated now, before anything decodes): none for images. */
  stopLists(rows: readonly GenerateSegment[], length: number, index: number): StopList[] {
    return rows.map((segment) => (segment.modality === 'text'
      ? StopList.forText(segment.stop, length, this.vocabulary.eosTokenId, this.decodeText, `segments[${index}].stop`)
      : StopList.none()));
  }

  activate(run: DecodingRun, span: SegmentSpan, segment: GenerateSegment, scheduler: DecodeScheduler, rng: SeededRandom, stops: readonly StopList[], rules: SegmentRules = {}): ActiveSegment {
    const { layout } = run;
    const canvas = this.createCanvas(run, span);
    return {
      span, segment, scheduler, canvas, stops, stopChecked: new Int32Array(layout.rows),
      context: this.createContext(span, segment, canvas, rng, rules),
      view: new StepLogitsView(layout.rows, layout.totalRows > layout.rows),
    };
  }

  async decode(run: DecodingRun, active: ActiveSegment, rules: SegmentRules = {}): Promise<DecodedSegment> {
    const { scheduler, span, segment } = active;
    const began = performance.now();
    const before = { modelMs: run.modelMs, schedulerMs: run.schedulerMs, forwardPasses: run.forwardPasses };
    this.callScheduler(active, 'begin', () => scheduler.begin(active.context));
    const planned = scheduler.plannedSteps(active.context);
    const feed = FEEDS[scheduler.mode]();
    const stepper = new SegmentStep(active, feed, rules.blockedTokens ?? [], rules.image);
    await feed.begin(run, active);
    const stepLimit = planned + span.length + 1;
    let step = 0;
    let interrupted = false;
    for (; ; step++) {
      if (step >= stepLimit) {
        throw new OmnidecodeError(`scheduler ${segment.scheduler}`, `${step} steps without finishing`, `at most ${stepLimit} steps for a ${span.length}-token segment`);
      }
      run.checkAbort();
      await feed.logits(run, active);
      stepper.checkFinite(step);
      stepper.block();
      stepper.guide();
      const stepBegan = performance.now();
      const decision = this.callScheduler(active, `step ${step}`, () => scheduler.step(active.view, { index: step, position: feed.position }));
      run.schedulerMs += performance.now() - stepBegan;
      stepper.apply(decision, step);
      stepper.stopRows(this.vocabulary.padTokenId);
      stepper.emit(run, step, planned);
      if (rules.interrupt?.(active, step) === true) {
        interrupted = true;
        break;
      }
      if (decision.done || stepper.complete()) {
        if (!stepper.complete() && scheduler.mode === 'block' && segment.modality === 'image') {
          throw new OmnidecodeError(`scheduler ${segment.scheduler}`, 'finished with masked positions left', 'every position committed');
        }
        stepper.padRemaining(this.vocabulary.padTokenId);
        break;
      }
      if (!(await feed.advance(run, active))) {
        stepper.padRemaining(this.vocabulary.padTokenId);
        break;
      }
    }
    return {
      interrupted,
      phase: {
        segment: span.index, scheduler: segment.scheduler, steps: step + 1,
        forwardPasses: run.forwardPasses - before.forwardPasses, wallMs: performance.now() - began,
        modelMs: run.modelMs - before.modelMs, schedulerMs: run.schedulerMs - before.schedulerMs,
      },
    };
  }

  private createCanvas(run: DecodingRun, span: SegmentSpan): SegmentCanvas {
    const { layout } = run;
    const { rows } = layout;
    const tokens = new Int32Array(rows * span.length);
    const known = new Uint8Array(rows * span.length);
    for (let row = 0; row < rows; row++) {
      const from = row * layout.length + span.start;
      tokens.set(layout.ids.subarray(from, from + span.length), row * span.length);
    }
    for (let i = 0; i < tokens.length; i++) known[i] = tokens[i] === this.vocabulary.maskTokenId ? 0 : 1;
    return {
      rows, length: span.length, tokens, known, preview: tokens.slice(),
      finished: new Uint8Array(rows), ends: new Int32Array(rows).fill(span.length),
    };
  }

  private createContext(span: SegmentSpan, segment: GenerateSegment, canvas: SegmentCanvas, rng: SeededRandom, rules: SegmentRules): SchedulerContext {
    const { vocabulary } = this;
    const image = segment.modality === 'image';
    return {
      canvas, vocabulary, modality: segment.modality, rng,
      candidates: rules.candidates ?? (image
        ? { offset: vocabulary.imageTokenOffset, count: vocabulary.imageCodebookSize }
        : { offset: 0, count: vocabulary.layout.textVocabSize }),
      ...(image ? { grid: vocabulary.layout.imageGrid } : {}),
      ...(this.decodeText ? { decodeText: this.decodeText } : {}),
      createSampler: (options: SamplerInput) => new Sampler(options,
        options.processors?.length ? this.requireProcessors().create(options.processors, `segments[${span.index}].options.sampler.processors`) : []),
    };
  }

  private requireProcessors(): LogitsProcessorRegistry {
    if (this.processors === undefined) {
      throw new OmnidecodeError('logits processors', 'no registry', 'an engine built by createEngine (it wires the processor registry)');
    }
    return this.processors;
  }

  /**
   * Runs scheduler code. A plain Error from it (a plugin bug) is rethrown naming the scheduler and
   * where it came from, with the original as `cause`; OmnidecodeErrors already say what went wrong.
   */
  private callScheduler<T>(active: ActiveSegment, phase: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof OmnidecodeError) throw error;
      const name = active.segment.scheduler;
      const source = this.registry.get(name).source ?? 'built-in';
      const reason = `scheduler "${name}" failed in ${phase} of segment ${active.span.index}: ${error instanceof Error ? error.message : String(error)}`;
      throw new PluginError(source, reason, { cause: error });
    }
  }
}
