import { DecodingRun } from '../decoding-run.ts';
import type { GenerateOptions } from '../generate-options.ts';
import type { GenerationResult, SegmentResult } from '../generation-result.ts';
import type { GenerationRequest } from '../request.ts';
import type { SeededRandom } from '../sampling/seeded-random.ts';
import type { SegmentDecoder } from '../segment-decoder.ts';
import type { StepEvent } from '../step-event.ts';
import type { Transformer } from '../transformer.ts';
import type { UnifiedVocabulary } from '../unified-vocabulary.ts';
import { InvalidRequestError } from '../errors.ts';
import { checkLength, runStats } from '../run-results.ts';
import { StreamDecoder } from './stream-decoder.ts';
import { imageSegment, streamLayout, streamSegment, twinToken } from './stream-layout.ts';

/**
 * Requests whose text may open images: each decodes as its own stream (its own KV cache, its own
 * random stream), so one row opening an image at token 3 and another at token 9 never wait on each
 * other. Streams share no forward with other rows (a batched stream would need per-row caches of
 * different lengths); the engine decodes them one after another.
 */
export class StreamBatch {
  private readonly decoder: StreamDecoder;

  constructor(private readonly model: Transformer, private readonly vocabulary: UnifiedVocabulary, private readonly segments: SegmentDecoder) {
    this.decoder = new StreamDecoder(vocabulary, segments);
  }

  /**
   * One request's stream at batch row `row`. Its random stream is the call's, forked by the request's
   * `id` (or, without one, its row): the same id and seed give the same tokens alone or in any batch.
   */
  async generateOne(request: GenerationRequest, row: number, options: GenerateOptions, callRng: SeededRandom, observers: ((event: StepEvent) => void)[], started: number): Promise<GenerationResult> {
    const index = request.segments.length - 1;
    const text = streamSegment(request, `requests[${row}]`);
    const images = text.images as NonNullable<typeof text.images>;
    const rng = callRng.fork(request.id !== undefined ? `request-id:${request.id}` : `request-row:${row}`);
    const image = imageSegment(images, this.vocabulary.imageTokenCount);
    const textGuidance = this.segments.createScheduler(text, index).guidance;
    if ((textGuidance?.scale ?? 0) > 0) {
      throw new InvalidRequestError(`segments[${index}].options.guidance`, textGuidance?.scale,
        '0 for a text segment that opens images (its guidance would need an unconditional text stream; guide its images with images.options.guidance)');
    }
    const withTwin = (this.segments.createScheduler(image, index, `segments[${index}].images.options`).guidance?.scale ?? 0) > 0;
    const layout = streamLayout(request, this.vocabulary, withTwin);
    checkLength(layout.length, this.model.info.maxPositions);
    const run = new DecodingRun(this.model, layout, options, observers, this.vocabulary.padTokenId, (id) => twinToken(id, this.vocabulary));
    const textSpan = layout.spans[layout.spans.length - 1] as (typeof layout.spans)[number];
    try {
      run.checkAbort();
      const { row: stream, phases } = await this.decoder.decode(run, textSpan, text, rng);
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
