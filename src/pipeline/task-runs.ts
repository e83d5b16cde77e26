import type { GenerationResult } from '../core/generation-result.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import type { TokenBand } from './outpaint-band.ts';

/** What the pipeline's tasks return: outputs in input order, with the engine's per-batch results. */
export interface ImageRun {
  readonly codes: Int32Array[];
  readonly images: GrayImage[];
  readonly results: GenerationResult[];
}

export interface TextRun {
  readonly texts: string[];
  readonly results: GenerationResult[];
}

/** `grid`: one flag per token (raster order), 1 where the model generated, 0 where codes were kept. */
export type InpaintRun = ImageRun & { readonly grid: Uint8Array };

/** `known`: the shifted source codes every sample keeps, -1 in the band; `band`: the sides in tokens. */
export type OutpaintRun = InpaintRun & { readonly known: Int32Array; readonly band: TokenBand };
