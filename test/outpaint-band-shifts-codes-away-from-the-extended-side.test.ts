import { describe, expect, it } from 'vitest';
import { bandPixelsToTokens, outpaintCanvas, resolveOutpaintBand } from '../src/pipeline/outpaint-band.ts';

const grid = { height: 3, width: 4 };
// Code = 10 * row + column, so each kept code says where it came from.
const codes = Int32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
const rows = (values: ArrayLike<number>): number[][] => [0, 1, 2].map((row) => Array.from(values).slice(row * 4, row * 4 + 4));

describe('outpainting moves the known codes away from each extended side on the fixed grid', () => {
  it('left=2: codes move 2 columns right, the 2 leftmost become unknown, the source\'s 2 rightmost are dropped', () => {
    const canvas = outpaintCanvas(codes, grid, { left: 2, right: 0, top: 0, bottom: 0 });
    expect(rows(canvas.known)).toEqual([[-1, -1, 0, 1], [-1, -1, 10, 11], [-1, -1, 20, 21]]);
    expect(rows(canvas.grid)).toEqual([[1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 0, 0]]);
  });

  it('right and bottom move codes left and up, dropping the source\'s leftmost column and top row', () => {
    const canvas = outpaintCanvas(codes, grid, { left: 0, right: 1, top: 0, bottom: 1 });
    expect(rows(canvas.known)).toEqual([[11, 12, 13, -1], [21, 22, 23, -1], [-1, -1, -1, -1]]);
  });

  it('opposite sides cancel in the shift: left=1, right=1 keeps the centre columns in place', () => {
    const canvas = outpaintCanvas(codes, grid, { left: 1, right: 1, top: 1, bottom: 0 });
    expect(rows(canvas.known)).toEqual([[-1, -1, -1, -1], [-1, 1, 2, -1], [-1, 11, 12, -1]]);
  });

  it('pixel amounts round up to whole tokens of the model\'s patch (28 px over 7 tokens: 4 px each)', () => {
    expect(bandPixelsToTokens({ left: 5, right: 4, top: 1, bottom: 0 }, 28, { height: 7, width: 7 })).toEqual({ left: 2, right: 1, top: 1, bottom: 0 });
    expect(resolveOutpaintBand({ left: 8 }, 'pixels', 28, { height: 7, width: 7 })).toEqual({ left: 2, right: 0, top: 0, bottom: 0 });
  });
});
