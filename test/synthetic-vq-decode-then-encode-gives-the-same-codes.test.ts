import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';
import { syntheticCodebook } from '../src/synthetic/synthetic-vq.ts';
import { decodePng, encodePng, resizeGray, upscaleNearest } from '../src/tokenizers/png-image.ts';
import { RGB_VQ, syntheticRgbTokenizer } from './support/synthetic-rgb-vq.ts';

describe('the synthetic RGB VQ pair (Show-o\'s 16x16 grid of 8192 codes)', () => {
  it('decodes codes to each code\'s 2x2 RGB patch (planar graph, interleaved image)', async () => {
    const tokenizer = await syntheticRgbTokenizer();
    const codes = Int32Array.from({ length: 256 }, (_, i) => (i * 37) % 8192);
    const [image] = await tokenizer.decode([codes]);
    expect([image?.width, image?.height, image?.channels]).toEqual([32, 32, 3]);
    // Code 37 sits at grid (0, 1): pixels x 2..3, y 0..1; its point is [c, y, x] over 3 x 2 x 2.
    const point = syntheticCodebook(RGB_VQ).subarray(37 * 12, 38 * 12);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 2; x++) expect(image?.pixels[(y * 32 + 2 + x) * 3 + c]).toBe(point[c * 4 + y * 2 + x]);
      }
    }
  });

  it('encodes a decoded image back to its codes, also through an upscaled 8-bit PNG', async () => {
    const tokenizer = await syntheticRgbTokenizer();
    const rng = new SeededRandom(11);
    const codes = Int32Array.from({ length: 256 }, () => Math.floor(rng.next() * 8192));
    const [image] = await tokenizer.decode([codes]);
    if (image === undefined) throw new Error('no image');
    expect(Array.from((await tokenizer.encode([image]))[0] as Int32Array)).toEqual(Array.from(codes));
    const png = decodePng(encodePng(upscaleNearest(image, 4)), { channels: 3 });
    expect(Array.from((await tokenizer.encode([resizeGray(png, 32, 32)]))[0] as Int32Array)).toEqual(Array.from(codes));
  });
});
