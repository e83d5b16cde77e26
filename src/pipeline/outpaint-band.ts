import { InputError } from '../core/errors.ts';
import type { TokenGrid } from '../tokenizers/image-tokenizer.ts';

/**
 * Outpainting (Show-o's extrapolation) on the model's fixed token grid: the canvas stays h x w.
 * Extending a side by n tokens moves the image's codes n cells away from that side, the n-token
 * band there becomes unknown, and the source's n columns (rows) pushed past the opposite edge are
 * dropped: with left=2 the codes move 2 columns right and the source's 2 rightmost columns go.
 * Opposite sides cancel in the shift: left=2, right=2 keeps the centre in place and regenerates
 * 2 columns on each side. Kept codes are the source's, unchanged.
 */
export interface OutpaintBand {
  readonly left?: number;
  readonly right?: number;
  readonly top?: number;
  readonly bottom?: number;
}

export type OutpaintSide = keyof OutpaintBand;
export type OutpaintUnit = 'tokens' | 'pixels';

/** Every side given, in tokens. */
export type TokenBand = Required<OutpaintBand>;

const SIDES: readonly OutpaintSide[] = ['left', 'right', 'top', 'bottom'];

/**
 * Pixel amounts (of the model's S x S image, config vq.imageSize) to tokens, rounding up so the
 * band covers at least the pixels asked for: with 28 px over 7 tokens (4 px per token), 5 px -> 2.
 */
export function bandPixelsToTokens(pixels: OutpaintBand, imageSize: number, grid: TokenGrid): TokenBand {
  const amounts = readSides(pixels, 'pixels');
  // Integer arithmetic (px * tokens / size) so an exact multiple never rounds up by float error.
  const tokens = (side: OutpaintSide, across: number): number => Math.ceil((amounts[side] * across) / imageSize);
  return { left: tokens('left', grid.width), right: tokens('right', grid.width), top: tokens('top', grid.height), bottom: tokens('bottom', grid.height) };
}

/**
 * The band in tokens, checked against the grid: each side a non-negative integer, at least one
 * side above 0, and at least one column and one row left known.
 */
export function resolveOutpaintBand(band: unknown, unit: unknown, imageSize: number, grid: TokenGrid): TokenBand {
  if (unit !== undefined && unit !== 'tokens' && unit !== 'pixels') throw new InputError('outpaint unit', unit, '"tokens" or "pixels"');
  const tokens = unit === 'pixels' ? bandPixelsToTokens(band as OutpaintBand, imageSize, grid) : readSides(band, 'tokens');
  const inPixels = unit === 'pixels' ? ` (from ${describeBand(band as OutpaintBand)} pixels at ${imageSize / grid.width} px per token)` : '';
  for (const [first, second, size, line] of [['left', 'right', grid.width, 'column'], ['top', 'bottom', grid.height, 'row']] as const) {
    const sum = tokens[first] + tokens[second];
    if (sum >= size) {
      throw new InputError(`outpaint ${first} + ${second}`, sum, `at most ${size - 1} tokens`,
        `outpaint ${first} (${tokens[first]}) + ${second} (${tokens[second]}) = ${sum} tokens${inPixels} leaves no known ${line} `
        + `of the ${size}-${line} token grid; ${first} + ${second} must be at most ${size - 1}`);
    }
  }
  if (SIDES.every((side) => tokens[side] === 0)) {
    throw new InputError('outpaint band', band, 'at least one side above 0',
      `outpaint: left, right, top and bottom are all 0${inPixels}; nothing to generate (extend at least one side)`);
  }
  return tokens;
}

/**
 * The outpainting canvas for an image's codes (raster order): `known` holds the shifted codes and
 * -1 in the band, `grid` 1 where the model generates (the band) and 0 where codes are kept.
 */
export function outpaintCanvas(codes: ArrayLike<number>, grid: TokenGrid, band: TokenBand): { known: Int32Array; grid: Uint8Array } {
  const { width, height } = grid;
  if (codes.length !== width * height) throw new InputError('codes length', codes.length, `${width * height} (${height}x${width} grid)`);
  const known = new Int32Array(width * height).fill(-1);
  const flags = new Uint8Array(width * height).fill(1);
  const dx = band.left - band.right;
  const dy = band.top - band.bottom;
  for (let row = band.top; row < height - band.bottom; row++) {
    for (let column = band.left; column < width - band.right; column++) {
      // In range by construction: row - dy lies in [bottom, height - top), column - dx in [right, width - left).
      known[row * width + column] = codes[(row - dy) * width + (column - dx)] as number;
      flags[row * width + column] = 0;
    }
  }
  return { known, grid: flags };
}

function readSides(band: unknown, unit: OutpaintUnit): TokenBand {
  if (typeof band !== 'object' || band === null || Array.isArray(band)) {
    throw new InputError('outpaint band', band, `an object { left?, right?, top?, bottom? } in ${unit}`);
  }
  for (const key of Object.keys(band)) {
    if (!(SIDES as readonly string[]).includes(key)) {
      throw new InputError(`outpaint ${key}`, (band as Record<string, unknown>)[key], 'one of the sides left, right, top, bottom',
        `outpaint: unknown side "${key}"; the sides are left, right, top and bottom`);
    }
  }
  const read = (side: OutpaintSide): number => {
    const value = (band as Record<string, unknown>)[side] ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new InputError(`outpaint ${side}`, value, `an integer >= 0 (${unit})`);
    }
    return value;
  };
  return { left: read('left'), right: read('right'), top: read('top'), bottom: read('bottom') };
}

function describeBand(band: OutpaintBand): string {
  return SIDES.filter((side) => (band[side] ?? 0) > 0).map((side) => `${side} ${band[side] ?? 0}`).join(', ') || 'no';
}
