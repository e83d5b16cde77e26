import { DecodingRun } from '../decoding-run.ts';
import type { GenerateOptions } from '../generate-options.ts';
import type { GenerationResult, SegmentResult } from '../generation-result.ts';
import type { GenerationRequest } from '../request.ts';
import type { SeededRandom } from '../sampling/seeded-random.ts';
import type { SegmentDecoder } from '../segment-decoder.ts';
import type { StepEvent } from '../step-event.ts';
import type { Transformer } from '../transformer.ts';
import type { UnifiedVocabulary } from '../unified-vocabulary.ts';
import { checkLength, mergeResults, runStats } from '../run-results.ts';
import { StreamDecoder } from './stream-decoder.ts';
import { streamLayout, streamSegment, twinToken } from './stream-layout.ts';

/**
 * A batch with growing streams: each request decodes as its own stream (its own KV cache, its own
 * random stream named by its id or index), so one row opening an image at token 3 and another at
 * token 9 never wait on each other, and a row gives the same tokens alone or in any batch.
 * Requests without a stream in the same batch decode alone too.
 */
export class StreamBatch {
  private readonly decoder: StreamDecoder;

  constructor(private readonly model: Transformer, private readonly vocabulary: UnifiedVocabulary, private readonly segments: SegmentDecoder) {
    this.decoder = new StreamDecoder(vocabulary, segments);
  }

  async generate(batch: readonly GenerationRequest[], options: GenerateOptions, rng: SeededRandom, observers: ((event: StepEvent) => void)[], started: number): Promise<GenerationResult> {
    const parts: { indices: number[]; result: GenerationResult }[] = [];
    for (const [row, request] of batch.entries()) {
      const rowObservers = observers.map((observer) => (event: StepEvent) => observer({ ...event, firstRow: row }));
      parts.push({ indices: [row], result: await this.generateOne(request, row, options, rng.fork(`request-${request.id ?? row}`), rowObservers, started) });
    }
    return mergeResults(parts, batch.length, started);
  }

  private async generateOne(request: GenerationRequest, row: number, options: GenerateOptions, rng: SeededRandom, observers: ((event: StepEvent) => void)[], started: number): Promise<GenerationResult> {
    const text = streamSegment(request, `requests[${row}]`);
    const images = text.images;
    const imageGuidance = images === undefined ? null
      : this.segments.createScheduler({ type: 'generate', modality: 'image', scheduler: images.scheduler, length: this.vocabulary.imageTokenCount, ...(images.options ? { options: images.options } : {}) }, request.segments.length - 1).guidance;
    const withTwin = (imageGuidance?.scale ?? 0) > 0;
    const layout = streamLayout(request, this.vocabulary, withTwin);
    checkLength(layout.length, this.model.info.maxPositions);
    const run = new DecodingRun(this.model, layout, options, observers, this.vocabulary.padTokenId, (id) => twinToken(id, this.vocabulary));
    const textSpan = layout.spans[layout.spans.length - 1] as (typeof layout.spans)[number];
    try {
      run.checkAbort();
      const { row: stream, phases } = await this.decoder.decode(run, textSpan, text, rng, row);
      const tokens = layout.ids.slice(0, stream.end);
      const given: SegmentResult[] = layout.spans.slice(0, -1).map((span) => ({ index: span.index, start: span.start, length: span.length, tokens: tokens.slice(span.start, span.start + span.length) }));
      return {
        rows: [{ tokens, segments: [...given, ...stream.segments], ...(stream.limit ? { limit: stream.limit } : {}) }],
        stats: runStats(run, phases, started),
      };
    } finally {
      run.dispose();
    }
  }
}
