import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { janusPixelValues } from '../src/pipeline/janus/janus-image-input.ts';
import type { JanusPreprocessing } from '../src/pipeline/janus/janus-model-folder.ts';
import { thrown } from './support/thrown.ts';

/**
 * An understanding image so thin that fitting it into the model's square leaves a side of 0 pixels
 * is refused naming the image, its size and what it would become (not a resize of width 0).
 */
const PRE: JanusPreprocessing = { imageSize: 8, rescaleFactor: 1 / 255, normalize: true, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], background: [127, 127, 127] };

describe('an understanding image too thin to fit', () => {
  it('is refused naming the image and what fitting would make of it', () => {
    const thin = { width: 1, height: 100, channels: 3 as const, pixels: new Float32Array(300).fill(0.5) };
    const error = thrown(InputError, () => janusPixelValues(thin, PRE, 'strip.png'));
    expect(error.what).toBe('strip.png');
    expect(error.got).toBe('1x100');
    expect(error.message).toBe('strip.png is 1x100: fitted into the model\'s 8x8 input it would be 0x8 pixels; crop it to a less extreme aspect ratio');
  });

  it('one just wide enough is fitted as usual', () => {
    const narrow = { width: 1, height: 8, channels: 3 as const, pixels: new Float32Array(24).fill(0.5) };
    expect(janusPixelValues(narrow, PRE, 'strip.png').input.dims).toEqual([3, 8, 8]);
  });
});
