import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { decodePng, encodePng, imageGrid, resizeGray, upscaleNearest, type GrayImage } from '../src/tokenizers/png-image.ts';

/** A 2x2 RGB image with exact 8-bit values: red, green / blue, (60, 120, 180). */
const RGB: GrayImage = { width: 2, height: 2, channels: 3, pixels: Float32Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 60, 120, 180].map((v) => v / 255)) };

describe('RGB images through PNG writing and reading', () => {
  it('an image with channels 3 is written as an RGB PNG and read back value for value with channels: 3', () => {
    const bytes = encodePng(RGB);
    expect(bytes[25]).toBe(2); // IHDR colour type 2: RGB
    const read = decodePng(bytes, { channels: 3 });
    expect(read.channels).toBe(3);
    expect(Array.from(read.pixels)).toEqual(Array.from(RGB.pixels));
  });

  it('read without channels it is gray: the ITU-R 601 luma, as before', () => {
    const gray = decodePng(encodePng(RGB));
    expect(gray.channels).toBeUndefined();
    expect(Array.from(gray.pixels)).toEqual(Array.from(Float32Array.from([0.299 * 255, 0.587 * 255, 0.114 * 255, 0.299 * 60 + 0.587 * 120 + 0.114 * 180], (v) => v / 255)));
  });

  it('a gray PNG read with channels: 3 has equal r, g and b; another channel count is refused', () => {
    const rgb = decodePng(encodePng({ width: 1, height: 1, pixels: Float32Array.of(0.2) }), { channels: 3 });
    expect(rgb.pixels[0]).toBe(rgb.pixels[1]);
    expect(rgb.pixels[1]).toBe(rgb.pixels[2]);
    expect(() => decodePng(encodePng(RGB), { channels: 2 as 3 })).toThrow(InputError);
  });

  it('resizing, upscaling and gridding keep the channels apart', () => {
    const big = upscaleNearest(RGB, 2);
    expect([big.width, big.channels, Array.from(big.pixels.subarray(0, 6))]).toEqual([4, 3, [1, 0, 0, 1, 0, 0]]);
    const back = resizeGray(big, 2, 2);
    expect(Array.from(back.pixels)).toEqual(Array.from(RGB.pixels));
    const grid = imageGrid([RGB, RGB], 2, 1, 0.5);
    expect([grid.width, grid.height, grid.channels, grid.pixels.length]).toEqual([5, 2, 3, 30]);
    expect(Array.from(grid.pixels.subarray(6, 9))).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(grid.pixels.subarray(9, 12))).toEqual(Array.from(RGB.pixels.subarray(0, 3)));
  });
});
