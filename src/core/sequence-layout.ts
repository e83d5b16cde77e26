import { InvalidRequestError } from './errors.ts';
import type { AttentionLayout } from './omni-attention-mask.ts';
import type { GenerateSegment, GenerationRequest, Segment } from './request.ts';
import type { EncoderInput } from './transformer.ts';
import type { UnifiedVocabulary } from './unified-vocabulary.ts';

/** Where one segment sits in the sequence (the same for every row of a batch). */
export interface SegmentSpan {
  readonly index: number;
  readonly start: number;
  readonly length: number;
  readonly segment: Segment;
}

/** Ids and attention for every row: conditional rows first, then their unconditional twins. */
export interface SequenceLayout {
  readonly rows: number;
  readonly totalRows: number;
  readonly length: number;
  /** [totalRows, length]; generated positions hold the mask id until their segment is decoded. */
  readonly ids: Int32Array;
  readonly attention: AttentionLayout[];
  readonly spans: readonly SegmentSpan[];
  /** Given segments fed as an encoder's vectors (TokensSegment.encoded), by row and absolute position. */
  readonly encoded: readonly PlacedEncoding[];
}

export interface PlacedEncoding {
  readonly row: number;
  readonly start: number;
  readonly length: number;
  readonly input: EncoderInput;
  /** The request field it came from, for messages. */
  readonly where: string;
}

function segmentLength(segment: Segment): number {
  switch (segment.type) {
    case 'tokens': return segment.ids.length;
    case 'image': return segment.codes.length;
    case 'generate': return segment.length;
  }
}

function describeShape(segments: readonly Segment[]): string {
  return segments.map((segment) => `${segment.type}(${segmentLength(segment)})`).join(' ');
}

/**
 * Lays out a batch. Every request (and every unconditional twin) must have the same segment shape,
 * so positions line up across rows; request builders pad prompts to make that so.
 * `blockGenerate[i]` says whether generate segment i is fed as a bidirectional block.
 */
export function buildSequenceLayout(
  requests: readonly GenerationRequest[],
  vocabulary: UnifiedVocabulary,
  withUnconditional: boolean,
  blockGenerate: ReadonlyMap<number, boolean>,
): SequenceLayout {
  const first = requests[0];
  if (first === undefined) throw new InvalidRequestError('requests', [], 'at least one request');
  if (first.segments.length === 0) throw new InvalidRequestError('request.segments', [], 'at least one segment');
  const shape = describeShape(first.segments);
  const rowsSegments: (readonly Segment[])[] = requests.map((request) => request.segments);
  if (withUnconditional) {
    requests.forEach((request, index) => {
      if (request.unconditional === undefined) {
        throw new InvalidRequestError(`requests[${index}].unconditional`, undefined,
          'an unconditional segment list (classifier-free guidance needs one; set guidance 0 to decode without)');
      }
    });
    rowsSegments.push(...requests.map((request) => request.unconditional as readonly Segment[]));
  }
  rowsSegments.forEach((segments, row) => {
    const rowShape = describeShape(segments);
    if (rowShape !== shape) {
      const which = row < requests.length ? `requests[${row}].segments` : `requests[${row - requests.length}].unconditional`;
      throw new InvalidRequestError(which, rowShape, `the same segment layout as requests[0]: ${shape}`);
    }
  });

  const spans: SegmentSpan[] = [];
  let cursor = 0;
  first.segments.forEach((segment, index) => {
    const length = segmentLength(segment);
    if (segment.type === 'generate' && (!Number.isInteger(length) || length < 1)) {
      throw new InvalidRequestError(`segments[${index}].length`, length, 'an integer >= 1');
    }
    spans.push({ index, start: cursor, length, segment });
    cursor += length;
  });
  const length = cursor;
  const totalRows = rowsSegments.length;
  const ids = new Int32Array(totalRows * length);
  const attention: AttentionLayout[] = [];
  const encoded: PlacedEncoding[] = [];

  rowsSegments.forEach((segments, row) => {
    const blocks = new Int32Array(length).fill(-1);
    const pad = new Uint8Array(length);
    const base = row * length;
    segments.forEach((segment, index) => {
      const span = spans[index] as SegmentSpan;
      const where = `${row < requests.length ? `requests[${row}]` : `requests[${row - requests.length}].unconditional`}.segments[${index}]`;
      fillSegment(segment, span, ids, base, blocks, pad, vocabulary, where, blockGenerate.get(index) ?? false);
      if (segment.type === 'tokens' && segment.encoded !== undefined) {
        checkEncoderInput(segment.encoded, `${where}.encoded`);
        encoded.push({ row, start: span.start, length: span.length, input: segment.encoded, where: `${where}.encoded` });
      }
    });
    attention.push({ length, blocks, pad });
  });
  return { rows: requests.length, totalRows, length, ids, attention, spans, encoded };
}

/** Most axes an encoder input may have (an image is 3: channels, height, width). */
const MAX_ENCODER_AXES = 8;

function checkEncoderInput(input: EncoderInput, where: string): void {
  if (typeof input.kind !== 'string' || input.kind === '') throw new InvalidRequestError(`${where}.kind`, input.kind, 'a kind the model takes, e.g. "image"');
  const { dims, data } = input;
  if (!Array.isArray(dims) || dims.length < 1 || dims.length > MAX_ENCODER_AXES || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new InvalidRequestError(`${where}.dims`, dims, `1 to ${MAX_ENCODER_AXES} sizes, each an integer >= 1`);
  }
  const size = dims.reduce((a, b) => a * b, 1);
  if (!(data instanceof Float32Array) || data.length !== size) {
    throw new InvalidRequestError(`${where}.data`, data instanceof Float32Array ? `${data.length} values` : data, `a Float32Array of ${size} values (${dims.join(' x ')})`);
  }
}

function fillSegment(
  segment: Segment, span: SegmentSpan, ids: Int32Array, base: number, blocks: Int32Array, pad: Uint8Array,
  vocabulary: UnifiedVocabulary, where: string, feedAsBlock: boolean,
): void {
  const at = base + span.start;
  switch (segment.type) {
    case 'tokens': {
      vocabulary.checkIds(segment.ids, `${where}.ids`);
      for (let i = 0; i < span.length; i++) {
        const id = segment.ids[i] as number;
        ids[at + i] = id;
        if (id === vocabulary.padTokenId) pad[span.start + i] = 1;
        if (segment.attention === 'bidirectional') blocks[span.start + i] = span.index;
      }
      return;
    }
    case 'image': {
      for (let i = 0; i < span.length; i++) {
        const code = segment.codes[i] as number;
        if (!Number.isInteger(code) || code < 0 || code >= vocabulary.imageCodebookSize) {
          throw new InvalidRequestError(`${where}.codes[${i}]`, code, `an image code in [0, ${vocabulary.imageCodebookSize - 1}]`);
        }
        ids[at + i] = vocabulary.imageTokenOffset + code;
        blocks[span.start + i] = span.index;
      }
      return;
    }
    case 'generate':
      fillGenerated(segment, span, ids, at, vocabulary, where);
      if (feedAsBlock) blocks.fill(span.index, span.start, span.start + span.length);
      return;
  }
}

function fillGenerated(segment: GenerateSegment, span: SegmentSpan, ids: Int32Array, at: number, vocabulary: UnifiedVocabulary, where: string): void {
  ids.fill(vocabulary.maskTokenId, at, at + span.length);
  if (segment.known === undefined) return;
  if (segment.known.length !== span.length) {
    throw new InvalidRequestError(`${where}.known`, `${segment.known.length} entries`, `${span.length} entries (one per position, -1 for unknown)`);
  }
  for (let i = 0; i < span.length; i++) {
    const value = segment.known[i] as number;
    if (value === -1) continue;
    if (segment.modality === 'image') {
      if (!Number.isInteger(value) || value < 0 || value >= vocabulary.imageCodebookSize) {
        throw new InvalidRequestError(`${where}.known[${i}]`, value, `-1 or an image code in [0, ${vocabulary.imageCodebookSize - 1}]`);
      }
      ids[at + i] = vocabulary.imageTokenOffset + value;
    } else {
      vocabulary.checkIds([value], `${where}.known[${i}]`);
      ids[at + i] = value;
    }
  }
}
