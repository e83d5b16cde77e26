import { inject, injectable } from 'tsyringe';
import { parseSeed } from './config/parse-seed.ts';
import { DecodingRun } from './decoding-run.ts';
import { ConfigError, InvalidRequestError } from './errors.ts';
import type { GenerateOptions } from './generate-options.ts';
import type { GenerationResult, PhaseStats, RowResult, SegmentResult } from './generation-result.ts';
import { TEXT_DECODER, TRANSFORMER, UNIFIED_VOCABULARY } from './injection-tokens.ts';
import type { GenerateSegment, GenerationRequest } from './request.ts';
import type { DecodeScheduler, SegmentCanvas } from './scheduler.ts';
import { SchedulerRegistry } from './scheduler-registry.ts';
import { LogitsProcessorRegistry } from './sampling/logits-processor-registry.ts';
import { SeededRandom } from './sampling/seeded-random.ts';
import { SegmentDecoder } from './segment-decoder.ts';
import type { StopList } from './stop-conditions.ts';
import { groupByLayout, isStreamRequest } from './batch-groups.ts';
import { checkLength, mergeResults, runStats } from './run-results.ts';
import { StreamBatch } from './streams/stream-batch.ts';
import { buildSequenceLayout, type SegmentSpan, type SequenceLayout } from './sequence-layout.ts';
import type { StepEvent } from './step-event.ts';
import { StepHookRegistry } from './step-hook-registry.ts';
import type { Transformer } from './transformer.ts';
import type { UnifiedVocabulary } from './unified-vocabulary.ts';
import { streamSteps, type StreamItem } from './step-stream.ts';

export type { GenerateOptions } from './generate-options.ts';
export type TextDecoder = (ids: ArrayLike<number>) => string;

interface PlannedSegment {
  readonly span: SegmentSpan;
  readonly segment: GenerateSegment;
  readonly scheduler: DecodeScheduler;
  readonly stops: readonly StopList[];
}

/**
 * Owns the loop: lays out the batch, feeds the model through each segment's feed strategy, applies
 * guidance, asks the segment's scheduler for its decisions and applies them, stops text rows, emits
 * step events, and frees the KV cache whatever happens.
 */
@injectable()
export class DecodingEngine {
  constructor(
    @inject(TRANSFORMER) private readonly model: Transformer,
    @inject(UNIFIED_VOCABULARY) private readonly vocabulary: UnifiedVocabulary,
    @inject(SchedulerRegistry) registry: SchedulerRegistry,
    @inject(StepHookRegistry) private readonly hooks: StepHookRegistry = new StepHookRegistry(),
    @inject(TEXT_DECODER) decodeText?: TextDecoder,
    @inject(LogitsProcessorRegistry) processors?: LogitsProcessorRegistry,
  ) {
    this.segments = new SegmentDecoder(vocabulary, registry, decodeText, processors);
    this.streams = new StreamBatch(model, vocabulary, this.segments);
  }

  private readonly segments: SegmentDecoder;
  private readonly streams: StreamBatch;

  /**
   * Decodes one request or a batch. Requests of one layout share every forward; a batch mixing
   * layouts (e.g. text-to-image and describe) decodes each layout group in turn; requests whose text
   * may open images decode row by row, each stream growing on its own. Rows come back in request order.
   */
  async generate(requests: GenerationRequest | readonly GenerationRequest[], options: GenerateOptions = {}): Promise<GenerationResult> {
    const batch = Array.isArray(requests) ? requests as readonly GenerationRequest[] : [requests as GenerationRequest];
    if (batch.length === 0) throw new InvalidRequestError('requests', [], 'at least one request');
    const started = performance.now();
    const seed = parseSeed(options.seed ?? 0, 'seed');
    if (options.stream !== undefined && typeof options.stream !== 'string') throw new ConfigError('stream', options.stream, 'a string naming a stream of the seed');
    const rng = new SeededRandom(options.stream === undefined ? seed : `${seed}/${options.stream}`);
    const observers = this.hooks.list().map((hook) => (event: StepEvent) => hook.onStep(event));
    if (options.onStep) observers.push(options.onStep);
    const streamRows = batch.flatMap((request, index) => (isStreamRequest(request) ? [index] : []));
    const fixed = batch.flatMap((request, index) => (isStreamRequest(request) ? [] : [index]));
    const groups = groupByLayout(fixed.map((index) => batch[index] as GenerationRequest)).map((group) => group.map((i) => fixed[i] as number));
    if (streamRows.length === 0 && groups.length === 1) return this.generateUniform(batch, options, rng, observers, started);
    // Several parts: each its own run, in turn; events say which batch rows they cover and count forwards across the whole call.
    const parts: { indices: number[]; result: GenerationResult }[] = [];
    let forwardsBefore = 0;
    const relabel = (indices: readonly number[]) => observers.map((observer) => (event: StepEvent) =>
      observer({ ...event, batchRows: (event.batchRows ?? indices).map((row) => (event.batchRows === undefined ? row : indices[row] as number)), forwardPasses: event.forwardPasses + forwardsBefore }));
    for (const [group, indices] of groups.entries()) {
      const result = await this.generateUniform(indices.map((index) => batch[index] as GenerationRequest), options, rng.fork(`group-${group}`), relabel(indices), started);
      parts.push({ indices, result });
      forwardsBefore += result.stats.forwardPasses;
    }
    for (const index of streamRows) {
      const result = await this.streams.generateOne(batch[index] as GenerationRequest, index, options, rng, relabel([index]), started);
      parts.push({ indices: [index], result });
      forwardsBefore += result.stats.forwardPasses;
    }
    return mergeResults(parts, batch.length, started);
  }

  private async generateUniform(
    batch: readonly GenerationRequest[], options: GenerateOptions, rng: SeededRandom, observers: ((event: StepEvent) => void)[], started: number,
  ): Promise<GenerationResult> {
    const planned = this.plan(batch);
    const needsUnconditional = planned.some((item) => (item.scheduler.guidance?.scale ?? 0) > 0);
    const layout = buildSequenceLayout(batch, this.vocabulary, needsUnconditional, new Map(planned.map((item) => [item.span.index, item.scheduler.mode === 'block'])));
    checkLength(layout.length, this.model.info.maxPositions);
    const run = new DecodingRun(this.model, layout, options, observers, this.vocabulary.padTokenId);
    const phases: PhaseStats[] = [];
    const canvases = new Map<number, SegmentCanvas>();
    try {
      run.checkAbort();
      for (const item of planned) {
        const active = this.segments.activate(run, item.span, item.segment, item.scheduler, rng.fork(`segment-${item.span.index}`), item.stops);
        canvases.set(item.span.index, active.canvas);
        phases.push((await this.segments.decode(run, active)).phase);
        run.writeSegmentIds(item.span, active.canvas.tokens, 0, item.span.length);
      }
    } finally {
      run.dispose();
    }
    return { rows: this.collectRows(layout, canvases, planned), stats: runStats(run, phases, started) };
  }

  /** The same run as an async iterator of step events, ending with the result. */
  stream(requests: GenerationRequest | readonly GenerationRequest[], options: GenerateOptions = {}): AsyncGenerator<StreamItem> {
    return streamSteps((streamOptions) => this.generate(requests, streamOptions), options);
  }

  private plan(batch: readonly GenerationRequest[]): PlannedSegment[] {
    const first = batch[0];
    if (first === undefined) throw new InvalidRequestError('requests', [], 'at least one request');
    const planned: PlannedSegment[] = [];
    let start = 0;
    first.segments.forEach((segment, index) => {
      const length = segment.type === 'tokens' ? segment.ids.length : segment.type === 'image' ? segment.codes.length : segment.length;
      if (segment.type === 'generate') {
        // One layout group (groupByLayout): every row has this scheduler and options; stop settings may differ per row.
        const stops = this.segments.stopLists(batch.map((request) => request.segments[index] as GenerateSegment), length, index);
        const scheduler = this.segments.createScheduler(segment, index);
        if (scheduler.mode === 'append' && start === 0) {
          throw new InvalidRequestError(`segments[${index}]`, 'generate at position 0',
            'at least one given token before an autoregressive segment (e.g. <|bos|> or <|soi|>)');
        }
        planned.push({ span: { index, start, length, segment }, segment, scheduler, stops });
      }
      start += length;
    });
    return planned;
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
