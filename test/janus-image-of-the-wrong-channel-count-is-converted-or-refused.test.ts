import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { janusPixelValues } from '../src/pipeline/janus/janus-image-input.ts';
import type { JanusPreprocessing } from '../src/pipeline/janus/janus-model-folder.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';

/**
 * Janus reads RGB understanding images. A gray image (1 channel) is converted, the level in r, g and
 * b, and the caller is told; an image of any other channel count is refused, naming the valid ones.
 */
const PRE: JanusPreprocessing = { imageSize: 8, rescaleFactor: 1 / 255, normalize: true, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], background: [127, 127, 127] };
const levels = Float32Array.from({ length: 64 }, (_, i) => (i * 4) / 255);

describe('an understanding image of the wrong channel count', () => {
  it('gray: converted to RGB with a notice, the same values as the RGB image it stands for', () => {
    const gray: GrayImage = { width: 8, height: 8, pixels: levels };
    const rgb: GrayImage = { width: 8, height: 8, channels: 3, pixels: Float32Array.from({ length: 192 }, (_, i) => levels[Math.floor(i / 3)] as number) };
    const converted = janusPixelValues(gray, PRE, 'photo.png');
    expect(converted.notices).toEqual(['photo.png has 1 channel (gray); the model reads RGB (3 channels): converted, the gray level in r, g and b']);
    expect(converted.input.data).toEqual(janusPixelValues(rgb, PRE).input.data);
    expect(janusPixelValues(rgb, PRE).notices).toEqual([]);
  });

  it('four channels: refused, naming the channel counts the model takes', () => {
    const rgba = { width: 8, height: 8, channels: 4, pixels: new Float32Array(256) } as unknown as GrayImage;
    expect(() => janusPixelValues(rgba, PRE, 'photo.png')).toThrow(InputError);
    expect(() => janusPixelValues(rgba, PRE, 'photo.png')).toThrow('photo.png.channels: got 4, expected 1 (gray) or 3 (RGB)');
  });

  it('another size: fitted into the model\'s square with a notice, the rest background', () => {
    const wide: GrayImage = { width: 16, height: 4, channels: 3, pixels: new Float32Array(192).fill(1) };
    const { input, notices } = janusPixelValues(wide, PRE, 'wide.png');
    expect(notices).toEqual(['wide.png is 16x4; resized to 8x2 to fit the model\'s 8x8 input (then centred on the background colour)']);
    expect(input.dims).toEqual([3, 8, 8]);
    // Rows 3 and 4 hold the image (white, normalised to 1); the others the rescaled background.
    expect(input.data[3 * 8]).toBe(1);
    expect(input.data[0]).toBe(Math.fround(127 / 255));
  });
});
