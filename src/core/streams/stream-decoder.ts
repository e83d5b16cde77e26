import type { DecodingRun } from '../decoding-run.ts';
import { InvalidRequestError } from '../errors.ts';
import type { PhaseStats, RowResult, SegmentResult } from '../generation-result.ts';
import type { GenerateSegment, ImageOpening } from '../request.ts';
import { imageSegment } from './stream-layout.ts';
import type { SeededRandom } from '../sampling/seeded-random.ts';
import type { SegmentDecoder } from '../segment-decoder.ts';
import type { SegmentSpan } from '../sequence-layout.ts';
import type { UnifiedVocabulary } from '../unified-vocabulary.ts';

/**
 * Decodes one row's text stream that may open images: text by its scheduler (left to right, the KV
 * cache growing) until the row draws <|soi|>; then an image of the model's length by the image
 * scheduler after the cached stream; then <|eoi|>, and text resumes — one cache across the whole
 * stream. The layout grows as it goes: each image becomes a bidirectional block in the attention.
 */
export class StreamDecoder {
  constructor(private readonly vocabulary: UnifiedVocabulary, private readonly segments: SegmentDecoder) {}

  /** `textSpan`: the stream's region, laid out after the given prefix. */
  async decode(run: DecodingRun, textSpan: SegmentSpan, text: GenerateSegment, rng: SeededRandom): Promise<{ row: Omit<RowResult, 'tokens'> & { end: number }; phases: PhaseStats[] }> {
    const images = text.images as ImageOpening;
    const { vocabulary } = this;
    const soi = vocabulary.special('<|soi|>');
    const eoi = vocabulary.special('<|eoi|>');
    const imageLength = vocabulary.imageTokenCount;
    const streamEnd = textSpan.start + textSpan.length;
    const image = imageSegment(images, imageLength);
    const imageOptionsField = `segments[${textSpan.index}].images.options`;
    const results: SegmentResult[] = [];
    const phases: PhaseStats[] = [];
    let index = textSpan.index;
    let cursor = textSpan.start;
    let opened = 0;
    let limit: RowResult['limit'];
    // Text draws from the text ids and <|soi|>; the specials between them (padding) are never drawn.
    const candidates = { offset: 0, count: soi + 1 };
    const between = Array.from({ length: soi - vocabulary.layout.textVocabSize }, (_, i) => vocabulary.layout.textVocabSize + i);
    while (cursor < streamEnd) {
      const span: SegmentSpan = { index: index++, start: cursor, length: streamEnd - cursor, segment: text };
      const scheduler = this.segments.createScheduler(text, textSpan.index);
      if (scheduler.mode !== 'append') {
        throw new InvalidRequestError(`segments[${textSpan.index}].scheduler`, text.scheduler,
          'a left-to-right (append) text scheduler such as autoregressive: an image opens where a row draws <|soi|>, so text must be decoded in order');
      }
      let soiAt = -1;
      // Text is committed left to right: only positions past `scanned` are new.
      let scanned = 0;
      const stops = this.segments.stopLists([text], span.length, textSpan.index);
      const active = this.segments.activate(run, span, text, scheduler, rng.fork(`segment-${span.index}`), stops, { candidates });
      const decoded = await this.segments.decode(run, active, {
        blockedTokens: opened >= images.maxImages ? [...between, soi] : between,
        interrupt: ({ canvas }) => {
          // A row that stopped (EOS) opens nothing, even if it drew <|soi|> on its last step.
          if (canvas.finished[0] === 1) return false;
          for (; scanned < canvas.length && canvas.known[scanned] === 1; scanned++) {
            if (canvas.tokens[scanned] === soi) { soiAt = scanned; return true; }
          }
          return false;
        },
      });
      phases.push(decoded.phase);
      const { canvas } = active;
      if (!decoded.interrupted) {
        run.writeSegmentIds(span, canvas.tokens, 0, span.length);
        results.push({ index: span.index, start: span.start, length: span.length, tokens: canvas.tokens.slice(), scheduler: text.scheduler, modality: 'text', end: canvas.ends[0] as number });
        cursor = streamEnd;
        break;
      }
      const imageStart = cursor + soiAt + 1;
      if (imageStart + imageLength + 1 > streamEnd) {
        // No room for the image and its <|eoi|>: the row ends before the <|soi|>, nothing of the image written.
        canvas.tokens[soiAt] = vocabulary.padTokenId;
        run.writeSegmentIds(span, canvas.tokens, 0, soiAt + 1);
        results.push({ index: span.index, start: span.start, length: soiAt + 1, tokens: canvas.tokens.slice(0, soiAt + 1), scheduler: text.scheduler, modality: 'text', end: soiAt });
        limit = 'max tokens';
        cursor = span.start + soiAt + 1;
        break;
      }
      run.writeSegmentIds(span, canvas.tokens, 0, soiAt + 1);
      results.push({ index: span.index, start: span.start, length: soiAt + 1, tokens: canvas.tokens.slice(0, soiAt + 1), scheduler: text.scheduler, modality: 'text', end: soiAt });
      const imageSpan: SegmentSpan = { index: index++, start: imageStart, length: imageLength, segment: image };
      const imageScheduler = this.segments.createScheduler(image, textSpan.index, imageOptionsField);
      // A parallel image is one bidirectional block; an AR image stays causal, as in a fixed layout.
      this.openImage(run, imageSpan, imageScheduler.mode === 'block');
      const imageActive = this.segments.activate(run, imageSpan, image, imageScheduler, rng.fork(`segment-${imageSpan.index}`), this.segments.stopLists([image], imageLength, imageSpan.index));
      phases.push((await this.segments.decode(run, imageActive, { image: opened })).phase);
      run.writeSegmentIds(imageSpan, imageActive.canvas.tokens, 0, imageLength);
      for (let row = 0; row < run.layout.totalRows; row++) run.layout.ids[row * run.layout.length + imageStart + imageLength] = eoi;
      results.push({ index: imageSpan.index, start: imageStart, length: imageLength, tokens: imageActive.canvas.tokens.slice(), scheduler: images.scheduler, modality: 'image', end: imageLength });
      opened += 1;
      cursor = imageStart + imageLength + 1;
    }
    if (limit === undefined && opened >= images.maxImages && images.maxImages > 0) limit = 'max images';
    return { row: { segments: results, end: cursor, ...(limit ? { limit } : {}) }, phases };
  }

  /** The image's positions, masked until decoded in every row; one bidirectional block when decoded in parallel. */
  private openImage(run: DecodingRun, span: SegmentSpan, asBlock: boolean): void {
    const { layout } = run;
    for (let row = 0; row < layout.totalRows; row++) {
      const attention = layout.attention[row] as (typeof layout.attention)[number];
      if (asBlock) attention.blocks.fill(span.index, span.start, span.start + span.length);
      attention.pad.fill(0, span.start, span.start + span.length);
      layout.ids.fill(this.vocabulary.maskTokenId, row * layout.length + span.start, row * layout.length + span.start + span.length);
    }
  }
}
