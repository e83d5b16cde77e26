import type { StopSettings } from './stop-conditions.ts';
import type { EncoderInput } from './transformer.ts';

/**
 * A generation request is a list of segments, in order. Nothing assumes one image per request or a
 * fixed order: text -> image, image -> text, editing and interleaved runs are all segment lists.
 */
export type Modality = 'text' | 'image';
export type SegmentAttention = 'causal' | 'bidirectional';

/** Given token ids (specials, text ids, raw codes already mapped to ids). Causal unless said otherwise. */
export interface TokensSegment {
  readonly type: 'tokens';
  readonly ids: ArrayLike<number>;
  readonly attention?: SegmentAttention;
  /**
   * Feeds these positions as the model's encoding of this input (one vector a position, e.g. an
   * image through Janus's prepare_inputs_embeds) instead of the ids' embeddings; the ids stand in
   * for them (the model's placeholder) in the sequence and the results. The model must take its kind.
   */
  readonly encoded?: EncoderInput;
}

/** Given image codes (codebook indices, raster order); a bidirectional block. */
export interface ImageSegment {
  readonly type: 'image';
  readonly codes: ArrayLike<number>;
}

/** A segment the named scheduler fills. */
export interface GenerateSegment {
  readonly type: 'generate';
  readonly modality: Modality;
  readonly scheduler: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Positions to fill: the image token count, or the maximum number of text tokens. */
  readonly length: number;
  /**
   * For partial segments (inpainting): codes (image) or token ids (text) already known, -1 where
   * the scheduler must fill.
   */
  readonly known?: ArrayLike<number>;
  /** Text: when a row stops (EOS by default; max tokens, stop strings, your own rule). The engine applies it for every scheduler. */
  readonly stop?: StopSettings;
  /**
   * Text: the model may open images in this segment (Chameleon-style). When a row draws <|soi|>, the
   * engine generates an image of the model's length with `images.scheduler`, closes it with <|eoi|> and
   * text resumes. The segment must be the request's last; its `length` bounds the whole stream
   * (text, images and their markers) per row.
   */
  readonly images?: ImageOpening;
}

/** How a text segment opens images. */
export interface ImageOpening {
  readonly scheduler: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** At most this many images per row; past it <|soi|> is blocked. */
  readonly maxImages: number;
}

export type Segment = TokensSegment | ImageSegment | GenerateSegment;

export interface GenerationRequest {
  readonly segments: readonly Segment[];
  /**
   * Names the request's own random stream in a stream batch (requests whose text opens images decode
   * row by row): the same id and seed give the same tokens alone or in any batch. Default: its index.
   */
  readonly id?: string;
  /**
   * The same layout with the conditioning removed (e.g. the empty prompt), used for the
   * unconditional rows of classifier-free guidance. Generate segments here mirror the conditional ones.
   */
  readonly unconditional?: readonly Segment[];
}
