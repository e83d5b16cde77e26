import { InvalidRequestError } from '../errors.ts';
import type { GenerateSegment, GenerationRequest, ImageOpening, Segment } from '../request.ts';
import { buildSequenceLayout, type SequenceLayout } from '../sequence-layout.ts';
import type { UnifiedVocabulary } from '../unified-vocabulary.ts';

/** The most images one stream segment may open per row. */
export const MAX_STREAM_IMAGES = 64;

/** Checks a stream request and returns its image-opening text segment (the last one). */
export function streamSegment(request: GenerationRequest, where: string): GenerateSegment {
  const last = request.segments[request.segments.length - 1];
  const index = request.segments.length - 1;
  request.segments.forEach((segment, at) => {
    if (segment.type === 'generate' && segment !== last) {
      throw new InvalidRequestError(`${where}.segments[${at}]`, `a ${segment.modality} segment to generate`,
        'given segments only before a text segment that opens images (it must be the one generated segment, and the last)');
    }
  });
  if (last === undefined || last.type !== 'generate' || last.modality !== 'text' || last.images === undefined) {
    throw new InvalidRequestError(`${where}.segments`, 'no image-opening text segment last', 'a last segment { type: "generate", modality: "text", images: { ... } }');
  }
  if (last.known !== undefined) throw new InvalidRequestError(`${where}.segments[${index}].known`, 'given tokens', 'nothing: a stream is generated from its start');
  if (request.unconditional !== undefined) {
    throw new InvalidRequestError(`${where}.unconditional`, 'a twin', 'none: a stream builds its own unconditional twin (padding where the text is) when its images are guided');
  }
  const stop = last.stop;
  if (stop !== undefined && (stop.maxTokens !== undefined || stop.strings !== undefined || stop.when !== undefined)) {
    throw new InvalidRequestError(`${where}.segments[${index}].stop`, Object.keys(stop).filter((key) => key !== 'eos'),
      'only eos on a text segment that opens images (its length bounds the whole stream)');
  }
  const { maxImages, scheduler } = last.images;
  if (!Number.isInteger(maxImages) || maxImages < 0 || maxImages > MAX_STREAM_IMAGES) {
    throw new InvalidRequestError(`${where}.segments[${request.segments.length - 1}].images.maxImages`, maxImages, `an integer from 0 to ${MAX_STREAM_IMAGES}`);
  }
  if (typeof scheduler !== 'string' || scheduler === '') {
    throw new InvalidRequestError(`${where}.segments[${request.segments.length - 1}].images.scheduler`, scheduler, 'an image scheduler name');
  }
  return last;
}

/**
 * One request's stream laid out at its full budget: the given prefix, then `length` positions the
 * stream fills as it grows. With guidance for its images, an unconditional twin row sees padding
 * wherever the conditional row has text (prompt and generated text alike), and the same images.
 */
export function streamLayout(request: GenerationRequest, vocabulary: UnifiedVocabulary, withTwin: boolean): SequenceLayout {
  const textToPad = (ids: ArrayLike<number>): number[] => Array.from(ids, (id) => twinToken(id, vocabulary));
  const twin: Segment[] = request.segments.map((segment) => (segment.type === 'tokens' ? { ...segment, ids: textToPad(segment.ids) } : segment));
  return buildSequenceLayout([{ segments: request.segments, ...(withTwin ? { unconditional: twin } : {}) }], vocabulary, withTwin, new Map());
}

/** The image segment a stream opens: the model's image length, the scheduler and options its `images` name. */
export function imageSegment(images: ImageOpening, length: number): GenerateSegment {
  return { type: 'generate', modality: 'image', scheduler: images.scheduler, length, ...(images.options ? { options: images.options } : {}) };
}

/** The twin's view of a token: text ids become padding, specials and image tokens stay. */
export function twinToken(id: number, vocabulary: UnifiedVocabulary): number {
  return id >= 0 && id < vocabulary.layout.textVocabSize ? vocabulary.padTokenId : id;
}
