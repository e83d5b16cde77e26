import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { imageGrid, resizeGray, upscaleNearest, type GrayImage } from '../src/tokenizers/png-image.ts';

const solid = (value: number): GrayImage => ({ width: 2, height: 1, pixels: new Float32Array(2).fill(value) });

describe('imageGrid and upscaleNearest', () => {
  it('lays images out row by row with a mid-gray gap, empty cells black', () => {
    const grid = imageGrid([solid(0.1), solid(0.2), solid(0.3)], 2, 1);
    expect(grid.width).toBe(5);
    expect(grid.height).toBe(3);
    expect(Array.from(grid.pixels, (v) => Math.round(v * 10) / 10)).toEqual([
      0.1, 0.1, 0.5, 0.2, 0.2,
      0.5, 0.5, 0.5, 0.5, 0.5,
      0.3, 0.3, 0.5, 0, 0,
    ]);
  });

  it('uses fewer columns than asked when there are fewer images', () => {
    expect(imageGrid([solid(1)], 8, 2)).toEqual({ width: 2, height: 1, pixels: Float32Array.from([1, 1]) });
  });

  it('rejects images of different sizes', () => {
    expect(() => imageGrid([solid(1), { width: 1, height: 1, pixels: new Float32Array(1) }], 2))
      .toThrow(new InputError('grid image 1', '1x1', '2x1 like image 0'));
  });

  it('upscales by an integer factor into blocks', () => {
    const image: GrayImage = { width: 2, height: 1, pixels: Float32Array.from([0, 1]) };
    expect(Array.from(upscaleNearest(image, 2).pixels)).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('resizes by area when shrinking and bilinearly when enlarging', () => {
    const image: GrayImage = { width: 4, height: 1, pixels: Float32Array.from([0, 1, 1, 1]) };
    expect(Array.from(resizeGray(image, 2, 1).pixels)).toEqual([0.5, 1]);
    expect(Array.from(resizeGray(image, 3, 1).pixels, (v) => Math.round(v * 1e6) / 1e6)).toEqual([0.25, 1, 1]);
    const two: GrayImage = { width: 2, height: 1, pixels: Float32Array.from([0, 1]) };
    expect(Array.from(resizeGray(two, 4, 1).pixels)).toEqual([0, 0.25, 0.75, 1]);
  });
});
