import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';

async function refusal(call: () => Promise<unknown>): Promise<Error> {
  const error = await call().then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(InputError);
  return error as Error;
}

function image(width = 28, height = 28, fill = 0.5): GrayImage {
  return { width, height, pixels: new Float32Array(width * height).fill(fill) };
}

describe('images that are not GrayImages in [0, 1] are refused before any decoding, naming the image and the pixel', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await OmnidecodePipeline.load({ threads: 1 }); });
  afterAll(async () => { await pipeline.dispose(); });

  it('0-255 pixels: the message says how to scale them', async () => {
    const bytes = image(28, 28, 0);
    bytes.pixels[3] = 255;
    expect((await refusal(() => pipeline.describe([image(), bytes]))).message)
      .toBe('images[1]: pixels must be in [0, 1]; got 255 at index 3: scale 0–255 images by 1/255');
  });

  it('NaN, infinite and negative pixels, in the image and in the mask', async () => {
    const nan = image();
    nan.pixels[10] = Number.NaN;
    expect((await refusal(() => pipeline.edit([nan], 'make it darker'))).message).toBe('images[0]: pixels must be finite numbers in [0, 1]; got NaN at index 10');
    const infinite = image();
    infinite.pixels[0] = Number.POSITIVE_INFINITY;
    expect((await refusal(() => pipeline.inpaint(image(), infinite, 'a bag'))).message).toBe('mask: pixels must be finite numbers in [0, 1]; got Infinity at index 0');
    const negative = image();
    negative.pixels[783] = -0.25;
    expect((await refusal(() => pipeline.outpaint(negative, { left: 1 }, 'a bag'))).message).toBe('image: pixels must be in [0, 1]; got -0.25 at index 783');
  });

  it('sizes that are not positive integers, or that do not match the pixel count', async () => {
    expect((await refusal(() => pipeline.describe([{ width: 0, height: 28, pixels: new Float32Array(0) }]))).message)
      .toBe('images[0].width: got 0, expected an integer from 1 to 16384');
    expect((await refusal(() => pipeline.describe([{ width: 28, height: 2.5, pixels: new Float32Array(70) }]))).message)
      .toBe('images[0].height: got 2.5, expected an integer from 1 to 16384');
    expect((await refusal(() => pipeline.describe([{ width: 28, height: 28, pixels: new Float32Array(700) }]))).message)
      .toBe('images[0]: pixels has 700 values but the image is 28x28 (784 pixels)');
    const plain = { width: 2, height: 1, pixels: [0, 1] } as unknown as GrayImage;
    expect((await refusal(() => pipeline.describe([plain]))).message).toBe('images[0].pixels: got "an Array", expected a Float32Array of 2 values in [0, 1]');
  });
});
