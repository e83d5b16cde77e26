import { inject, injectable } from 'tsyringe';
import { AbortError, InvalidRequestError, NonFiniteLogitsError, OmnidecodeError, PluginError } from './errors.ts';
import { writeAttentionMask } from './omni-attention-mask.ts';
import type { GenerateSegment, GenerationRequest } from './request.ts';
import type { DecodeScheduler, SchedulerContext, SegmentCanvas } from './scheduler.ts';
import { SchedulerRegistry } from './scheduler-registry.ts';
import { buildSequenceLayout, type SegmentSpan, type SequenceLayout } from './sequence-layout.ts';
import { parseSeed } from './config/parse-seed.ts';
import { ConfigError } from './errors.ts';
import { SeededRandom } from './sampling/seeded-random.ts';
import { findNonFinite } from './sampling/finite-check.ts';
import type { StepEvent } from './step-event.ts';
import { StepHookRegistry } from './step-hook-registry.ts';
import { LogitsProcessorRegistry } from './sampling/logits-processor-registry.ts';
import { Sampler, type SamplerInput } from './sampling/sampler.ts';
import { StepLogitsView } from './step-logits-view.ts';
import type { ForwardOutput, KeyValueCache, Transformer } from './transformer.ts';
import type { GenerationResult, PhaseStats, RowResult, SegmentResult } from './generation-result.ts';
import type { UnifiedVocabulary } from './unified-vocabulary.ts';
import { TRANSFORMER, UNIFIED_VOCABULARY, TEXT_DECODER } from './injection-tokens.ts';

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

export type TextDecoder = (ids: ArrayLike<number>) => string;

interface PlannedSegment {
  readonly span: SegmentSpan;
  readonly segment: GenerateSegment;
  readonly scheduler: DecodeScheduler;
}

/** Mutable per-generation state; kept apart so the engine itself stays reusable and stateless. */
interface RunState {
  readonly layout: SequenceLayout;
  readonly options: GenerateOptions;
  readonly observers: ((event: StepEvent) => void)[];
  past: KeyValueCache | undefined;
  fedLength: number;
  forwardPasses: number;
  modelMs: number;
  schedulerMs: number;
  prefillMs: number;
}

/**
 * Owns the loop: builds ids, positions and masks, calls the model, keeps and disposes the KV cache,
 * batches conditional and unconditional rows, and asks each segment's scheduler what to commit.
 */
@injectable()
export class DecodingEngine {
  constructor(
    @inject(TRANSFORMER) private readonly model: Transformer,
    @inject(UNIFIED_VOCABULARY) private readonly vocabulary: UnifiedVocabulary,
    @inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
    @inject(StepHookRegistry) private readonly hooks: StepHookRegistry = new StepHookRegistry(),
    @inject(TEXT_DECODER) private readonly decodeText?: TextDecoder,
    @inject(LogitsProcessorRegistry) private readonly processors?: LogitsProcessorRegistry,
  ) {}

  /** Decodes one request, or a batch of requests with the same segment layout, together. */
  async generate(requests: GenerationRequest | readonly GenerationRequest[], options: GenerateOptions = {}): Promise<GenerationResult> {
    const batch = Array.isArray(requests) ? requests as readonly GenerationRequest[] : [requests as GenerationRequest];
    const started = performance.now();
    const planned = this.plan(batch);
    const needsUnconditional = planned.some((item) => item.scheduler.needsUnconditional);
    const blockGenerate = new Map(planned.map((item) => [item.span.index, item.scheduler.mode === 'block']));
    const layout = buildSequenceLayout(batch, this.vocabulary, needsUnconditional, blockGenerate);
    if (layout.length > this.model.info.maxPositions) {
      throw new InvalidRequestError('sequence length', layout.length,
        `at most ${this.model.info.maxPositions} positions (the model's limit); shorten the prompt or the generated segments`);
    }
    const observers: ((event: StepEvent) => void)[] = this.hooks.list().map((hook) => (event: StepEvent) => hook.onStep(event));
    if (options.onStep) observers.push(options.onStep);
    const state: RunState = { layout, options, observers, past: undefined, fedLength: 0, forwardPasses: 0, modelMs: 0, schedulerMs: 0, prefillMs: 0 };
    const seed = parseSeed(options.seed ?? 0, 'seed');
    if (options.stream !== undefined && typeof options.stream !== 'string') throw new ConfigError('stream', options.stream, 'a string naming a stream of the seed');
    const rng = new SeededRandom(options.stream === undefined ? seed : `${seed}/${options.stream}`);
    const phases: PhaseStats[] = [];
    const canvases = new Map<number, SegmentCanvas>();
    try {
      this.checkAbort(options.signal);
      for (const item of planned) {
        const canvas = this.createCanvas(layout, item.span);
        canvases.set(item.span.index, canvas);
        const context = this.createContext(item, canvas, rng.fork(`segment-${item.span.index}`));
        this.callScheduler(item, 'begin', () => item.scheduler.begin(context));
        const phase = item.scheduler.mode === 'append'
          ? await this.runAppend(state, item, canvas, context)
          : await this.runBlock(state, item, canvas, context);
        phases.push(phase);
        this.commitCanvas(layout, item.span, canvas);
      }
    } finally {
      state.past?.dispose();
      state.past = undefined;
    }
    return {
      rows: this.collectRows(layout, canvases, planned),
      stats: {
        forwardPasses: state.forwardPasses, wallMs: performance.now() - started, modelMs: state.modelMs,
        schedulerMs: state.schedulerMs, prefillMs: state.prefillMs, phases,
      },
    };
  }

  /** The same run as an async iterator of step events, ending with the result. */
  async *stream(requests: GenerationRequest | readonly GenerationRequest[], options: GenerateOptions = {}): AsyncGenerator<StepEvent | { type: 'result'; result: GenerationResult }> {
    const queue: StepEvent[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: unknown;
    let result: GenerationResult | undefined;
    // Leaving the loop early (break, return, throw) stops decoding instead of letting it run on.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const run = this.generate(requests, {
      ...options,
      signal,
      onStep: (event) => { options.onStep?.(event); queue.push(event); wake?.(); },
    }).then((value) => { result = value; }, (error: unknown) => { failure = error; }).finally(() => { finished = true; wake?.(); });
    try {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) { yield next; continue; }
        if (finished) break;
        await new Promise<void>((resolve) => { wake = resolve; });
        wake = undefined;
      }
      await run;
      if (failure !== undefined) throw failure;
      yield { type: 'result', result: result as GenerationResult };
    } finally {
      if (!finished) {
        stop.abort(new Error('the stream consumer stopped reading'));
        await run;
      }
    }
  }

  private plan(batch: readonly GenerationRequest[]): PlannedSegment[] {
    const first = batch[0];
    if (first === undefined) throw new InvalidRequestError('requests', [], 'at least one request');
    const planned: PlannedSegment[] = [];
    let start = 0;
    first.segments.forEach((segment, index) => {
      const length = segment.type === 'tokens' ? segment.ids.length : segment.type === 'image' ? segment.codes.length : segment.length;
      if (segment.type === 'generate') {
        batch.forEach((request, row) => {
          const other = request.segments[index];
          if (other?.type === 'generate' && (other.scheduler !== segment.scheduler || JSON.stringify(other.options ?? {}) !== JSON.stringify(segment.options ?? {}))) {
            throw new InvalidRequestError(`requests[${row}].segments[${index}].scheduler`, other.scheduler,
              `the same scheduler and options as requests[0] (${segment.scheduler}) within one batch`);
          }
        });
        const scheduler = this.registry.create(segment.scheduler, segment.options ?? {}, `segments[${index}].options`, segment.modality);
        if (scheduler.mode === 'append' && start === 0) {
          throw new InvalidRequestError(`segments[${index}]`, 'generate at position 0',
            'at least one given token before an autoregressive segment (e.g. <|bos|> or <|soi|>)');
        }
        planned.push({ span: { index, start, length, segment }, segment, scheduler });
      }
      start += length;
    });
    return planned;
  }

  private createCanvas(layout: SequenceLayout, span: SegmentSpan): SegmentCanvas {
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

  private createContext(item: PlannedSegment, canvas: SegmentCanvas, rng: SeededRandom): SchedulerContext {
    const { vocabulary } = this;
    const image = item.segment.modality === 'image';
    return {
      canvas, vocabulary, modality: item.segment.modality, rng,
      candidates: image
        ? { offset: vocabulary.imageTokenOffset, count: vocabulary.imageCodebookSize }
        : { offset: 0, count: vocabulary.layout.textVocabSize },
      ...(image ? { grid: vocabulary.layout.imageGrid } : {}),
      ...(this.decodeText ? { decodeText: this.decodeText } : {}),
      createSampler: (options: SamplerInput) => new Sampler(options,
        options.processors?.length ? this.requireProcessors().create(options.processors, `segments[${item.span.index}].options.sampler.processors`) : []),
    };
  }

  private requireProcessors(): LogitsProcessorRegistry {
    if (this.processors === undefined) {
      throw new OmnidecodeError('logits processors', 'no registry', 'an engine built by createEngine (it wires the processor registry)');
    }
    return this.processors;
  }

  /** Feeds given tokens [fedLength, end) after the cached past; the present becomes the past. */
  private async feedPending(state: RunState, end: number): Promise<ForwardOutput | undefined> {
    if (state.fedLength >= end) return undefined;
    const started = performance.now();
    const output = await this.forwardRange(state, state.fedLength, end, state.layout.ids, undefined);
    state.past?.dispose();
    state.past = output.present;
    state.fedLength = end;
    state.prefillMs += performance.now() - started;
    return output;
  }

  /**
   * One forward over positions [start, end) of every row, after the cached past (which must hold
   * exactly [0, start)). Ids come from `ids` ([totalRows, layout.length]) unless `canvas` overrides the
   * segment's positions.
   */
  private async forwardRange(state: RunState, start: number, end: number, ids: Int32Array, buffers: ForwardBuffers | undefined): Promise<ForwardOutput> {
    this.checkAbort(state.options.signal);
    const { layout } = state;
    const length = end - start;
    const rows = layout.totalRows;
    const own = buffers ?? this.createBuffers(layout, start, end);
    if (buffers === undefined) {
      for (let row = 0; row < rows; row++) {
        own.inputIds.set(ids.subarray(row * layout.length + start, row * layout.length + end), row * length);
      }
    }
    const began = performance.now();
    const output = await this.model.forward({
      inputIds: own.inputIds, positionIds: own.positionIds, attentionMask: own.attentionMask,
      batch: rows, length, ...(state.past ? { past: state.past } : {}),
    });
    state.modelMs += performance.now() - began;
    state.forwardPasses += 1;
    if (state.options.signal?.aborted) {
      output.present.dispose();
      this.checkAbort(state.options.signal);
    }
    return output;
  }

  /** Ids, positions and the mask for a forward over [start, end); the mask depends only on the layout. */
  private createBuffers(layout: SequenceLayout, start: number, end: number): ForwardBuffers {
    const rows = layout.totalRows;
    const length = end - start;
    const inputIds = new Int32Array(rows * length);
    const positionIds = new Int32Array(rows * length);
    const attentionMask = new Uint8Array(rows * length * end);
    for (let row = 0; row < rows; row++) {
      for (let i = 0; i < length; i++) positionIds[row * length + i] = start + i;
      writeAttentionMask(layout.attention[row] as SequenceLayout['attention'][number], start, end, attentionMask, row * length * end);
    }
    return { inputIds, positionIds, attentionMask };
  }

  /** Snapshots the run's counters now; the returned function reports what this phase added. */
  private phaseMeter(state: RunState, item: PlannedSegment): (steps: number) => PhaseStats {
    const began = performance.now();
    const { modelMs, schedulerMs, forwardPasses } = state;
    return (steps) => ({
      segment: item.span.index, scheduler: item.segment.scheduler, steps,
      forwardPasses: state.forwardPasses - forwardPasses, wallMs: performance.now() - began,
      modelMs: state.modelMs - modelMs, schedulerMs: state.schedulerMs - schedulerMs,
    });
  }

  private async runAppend(state: RunState, item: PlannedSegment, canvas: SegmentCanvas, context: SchedulerContext): Promise<PhaseStats> {
    const { span, scheduler } = item;
    const { layout } = state;
    const finishPhase = this.phaseMeter(state, item);
    const first = await this.feedPending(state, span.start);
    if (first === undefined) {
      throw new OmnidecodeError(`segments[${span.index}]`, 'nothing to condition on', 'given tokens before the segment');
    }
    const view = new StepLogitsView(layout.rows, scheduler.needsUnconditional);
    // The prefill's last position predicts segment position 0.
    const chunk = first.logits.length / (first.vocabSize * layout.totalRows);
    view.point(first.logits, first.vocabSize, chunk, -(chunk - 1));
    const planned = scheduler.plannedSteps(context);
    const previousKnown = canvas.known.slice();
    let cursor = 0;
    let step = 0;
    while (true) {
      this.checkAbort(state.options.signal);
      this.checkFinite(view, context, item, step, cursor, cursor + 1, canvas);
      const stepBegan = performance.now();
      const done = this.callScheduler(item, `step ${step}`, () => scheduler.step(view, { index: step, position: cursor }));
      state.schedulerMs += performance.now() - stepBegan;
      this.emit(state, item, canvas, previousKnown, step, planned);
      this.padFinishedRows(canvas, cursor, previousKnown);
      let advance = this.knownRun(canvas, cursor);
      if (done || cursor + advance >= span.length) {
        this.finishRemaining(canvas);
        break;
      }
      if (advance === 0) {
        throw new OmnidecodeError(`scheduler ${item.segment.scheduler}`, `no token committed at position ${cursor}`,
          'an append-mode scheduler commits the next position every step');
      }
      advance = Math.min(advance, span.length - cursor);
      this.writeCanvasIds(layout, span, canvas, cursor, cursor + advance);
      const output = await this.forwardRange(state, span.start + cursor, span.start + cursor + advance, layout.ids, undefined);
      state.past?.dispose();
      state.past = output.present;
      state.fedLength = span.start + cursor + advance;
      cursor += advance;
      step += 1;
      view.point(output.logits, output.vocabSize, advance, cursor - advance + 1);
    }
    return finishPhase(step + 1);
  }

  private async runBlock(state: RunState, item: PlannedSegment, canvas: SegmentCanvas, context: SchedulerContext): Promise<PhaseStats> {
    const { span, scheduler } = item;
    const { layout } = state;
    const finishPhase = this.phaseMeter(state, item);
    // Prefix logits are not needed: the block predicts itself.
    await this.feedPending(state, span.start);
    const buffers = this.createBuffers(layout, span.start, span.start + span.length);
    const view = new StepLogitsView(layout.rows, scheduler.needsUnconditional);
    const planned = scheduler.plannedSteps(context);
    const previousKnown = canvas.known.slice();
    const stepLimit = planned + span.length + 1;
    for (let step = 0; ; step++) {
      if (step >= stepLimit) {
        throw new OmnidecodeError(`scheduler ${item.segment.scheduler}`, `${step} steps without finishing`,
          `at most ${stepLimit} steps for a ${span.length}-token segment`);
      }
      for (let row = 0; row < layout.totalRows; row++) {
        const source = (row % layout.rows) * span.length;
        buffers.inputIds.set(canvas.tokens.subarray(source, source + span.length), row * span.length);
      }
      const output = await this.forwardRange(state, span.start, span.start + span.length, layout.ids, buffers);
      // The block's keys/values change every step: drop them, keep the prefix cache.
      output.present.dispose();
      view.point(output.logits, output.vocabSize, span.length, 0);
      this.checkFinite(view, context, item, step, 0, span.length, canvas);
      const stepBegan = performance.now();
      const done = this.callScheduler(item, `step ${step}`, () => scheduler.step(view, { index: step, position: -1 }));
      state.schedulerMs += performance.now() - stepBegan;
      this.emit(state, item, canvas, previousKnown, step, planned);
      if (done) {
        if (canvas.known.includes(0)) {
          throw new OmnidecodeError(`scheduler ${item.segment.scheduler}`, 'finished with masked positions left', 'every position committed');
        }
        return finishPhase(step + 1);
      }
    }
  }

  /** Positions known in every row, contiguous from `cursor`. */
  private knownRun(canvas: SegmentCanvas, cursor: number): number {
    let run = 0;
    for (let position = cursor; position < canvas.length; position++) {
      for (let row = 0; row < canvas.rows; row++) {
        if (canvas.known[row * canvas.length + position] !== 1) return run;
      }
      run += 1;
    }
    return run;
  }

  /**
   * A row that stopped earlier commits nothing at `cursor`; pad it there so the rows still running
   * can be fed together (pads are blocked for every later row). Not reported as a commit.
   */
  private padFinishedRows(canvas: SegmentCanvas, cursor: number, previousKnown: Uint8Array): void {
    for (let row = 0; row < canvas.rows; row++) {
      const index = row * canvas.length + cursor;
      if (canvas.finished[row] !== 1 || canvas.known[index] === 1) continue;
      canvas.known[index] = 1;
      canvas.tokens[index] = this.vocabulary.padTokenId;
      canvas.preview[index] = this.vocabulary.padTokenId;
      previousKnown[index] = 1;
    }
  }

  /** A stopped text row leaves its tail to padding, so later segments stay aligned. */
  private finishRemaining(canvas: SegmentCanvas): void {
    for (let i = 0; i < canvas.known.length; i++) {
      if (canvas.known[i] === 0) {
        canvas.known[i] = 1;
        canvas.tokens[i] = this.vocabulary.padTokenId;
        canvas.preview[i] = this.vocabulary.padTokenId;
      }
    }
  }

  private writeCanvasIds(layout: SequenceLayout, span: SegmentSpan, canvas: SegmentCanvas, from: number, to: number): void {
    for (let row = 0; row < layout.totalRows; row++) {
      const source = (row % layout.rows) * span.length;
      for (let position = from; position < to; position++) {
        const id = canvas.tokens[source + position] as number;
        layout.ids[row * layout.length + span.start + position] = id;
        // Padding written by a stopped row is blocked for everything after it.
        (layout.attention[row] as SequenceLayout['attention'][number]).pad[span.start + position] = id === this.vocabulary.padTokenId ? 1 : 0;
      }
    }
  }

  private commitCanvas(layout: SequenceLayout, span: SegmentSpan, canvas: SegmentCanvas): void {
    this.writeCanvasIds(layout, span, canvas, 0, span.length);
  }

  private checkFinite(view: StepLogitsView, context: SchedulerContext, item: PlannedSegment, step: number, from: number, to: number, canvas: SegmentCanvas): void {
    const { offset, count } = context.candidates;
    for (let row = 0; row < canvas.rows; row++) {
      for (let position = from; position < to; position++) {
        if (canvas.known[row * canvas.length + position] === 1 && item.scheduler.mode === 'block') continue;
        this.checkSliceFinite(view.data, view.offset(row, position) + offset, count, item, step);
        const unconditional = view.unconditionalOffset(row, position);
        if (unconditional >= 0) this.checkSliceFinite(view.data, unconditional + offset, count, item, step);
      }
    }
  }

  private checkSliceFinite(data: Float32Array, start: number, count: number, item: PlannedSegment, step: number): void {
    const bad = findNonFinite(data, start, count);
    if (bad >= 0) throw new NonFiniteLogitsError(item.span.index, step, start + bad, data[start + bad] as number);
  }

  private emit(state: RunState, item: PlannedSegment, canvas: SegmentCanvas, previousKnown: Uint8Array, step: number, planned: number): void {
    if (state.observers.length === 0) {
      return;
    }
    const committed: number[][] = [];
    for (let row = 0; row < canvas.rows; row++) {
      const positions: number[] = [];
      for (let position = 0; position < canvas.length; position++) {
        const index = row * canvas.length + position;
        if (canvas.known[index] === 1 && previousKnown[index] === 0) positions.push(position);
      }
      committed.push(positions);
    }
    previousKnown.set(canvas.known);
    const event: StepEvent = {
      type: 'step', segment: item.span.index, scheduler: item.segment.scheduler, step, plannedSteps: planned,
      committed, canvas: canvas.tokens.slice(), preview: canvas.preview.slice(), rows: canvas.rows, length: canvas.length,
      forwardPasses: state.forwardPasses,
    };
    for (const observer of state.observers) observer(event);
  }

  /**
   * Runs scheduler code. A plain Error from it (a plugin bug) is rethrown naming the scheduler and
   * where it came from, with the original as `cause`; OmnidecodeErrors already say what went wrong.
   */
  private callScheduler<T>(item: PlannedSegment, phase: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof OmnidecodeError) throw error;
      const name = item.segment.scheduler;
      const source = this.registry.get(name).source ?? 'built-in';
      const reason = `scheduler "${name}" failed in ${phase} of segment ${item.span.index}: ${error instanceof Error ? error.message : String(error)}`;
      throw new PluginError(source, reason, { cause: error });
    }
  }

  private checkAbort(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new AbortError(signal.reason);
  }

  private collectRows(layout: SequenceLayout, canvases: ReadonlyMap<number, SegmentCanvas>, planned: readonly PlannedSegment[]): RowResult[] {
    const rows: RowResult[] = [];
    for (let row = 0; row < layout.rows; row++) {
      const tokens = layout.ids.slice(row * layout.length, (row + 1) * layout.length);
      const segments: SegmentResult[] = layout.spans.map((span) => {
        const plan = planned.find((item) => item.span.index === span.index);
        const canvas = canvases.get(span.index);
        const base: SegmentResult = { index: span.index, start: span.start, length: span.length, tokens: tokens.slice(span.start, span.start + span.length) };
        if (plan === undefined || canvas === undefined) return base;
        return { ...base, scheduler: plan.segment.scheduler, modality: plan.segment.modality, end: canvas.ends[row] as number };
      });
      rows.push({ tokens, segments });
    }
    return rows;
  }
}

interface ForwardBuffers {
  readonly inputIds: Int32Array;
  readonly positionIds: Int32Array;
  readonly attentionMask: Uint8Array;
}
