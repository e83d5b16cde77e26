import { describe, expect, it } from 'vitest';
import { toChannels } from '../src/tokenizers/png-image.ts';
import { syntheticRgbTokenizer } from './support/synthetic-rgb-vq.ts';

describe('an image of the other channel count for the model', () => {
  it('a gray image given to an RGB model is converted (r = g = b), with a notice', async () => {
    const warnings: string[] = [];
    const tokenizer = await syntheticRgbTokenizer(warnings);
    const pixels = Float32Array.from({ length: 32 * 32 }, (_, i) => (i % 32) / 31);
    const [fromGray] = await tokenizer.encode([{ width: 32, height: 32, pixels }]);
    expect(warnings).toEqual(['image 0 has 1 channel (gray); converted to 3 channels (RGB) for the VQ encoder']);
    const [fromRgb] = await tokenizer.encode([toChannels({ width: 32, height: 32, pixels }, 3)]);
    expect(warnings).toHaveLength(1);
    expect(Array.from(fromGray as Int32Array)).toEqual(Array.from(fromRgb as Int32Array));
  });

  it('RGB -> gray takes the ITU-R 601 luma; gray -> RGB repeats the level', () => {
    const rgb = { width: 1, height: 2, channels: 3 as const, pixels: Float32Array.of(1, 0, 0, 0.2, 0.4, 0.6) };
    expect(Array.from(toChannels(rgb, 1).pixels)).toEqual(Array.from(Float32Array.of(0.299, 0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6)));
    expect(Array.from(toChannels({ width: 1, height: 1, pixels: Float32Array.of(0.25) }, 3).pixels)).toEqual([0.25, 0.25, 0.25]);
  });
});
