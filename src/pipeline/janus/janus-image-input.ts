import { InputError } from '../../core/errors.ts';
import type { EncoderInput } from '../../core/transformer.ts';
import { JANUS_IMAGE_INPUT } from '../../backends/onnx/janus/janus-embedder.ts';
import { channelsOf, resizeGray, toChannels, type GrayImage } from '../../tokenizers/png-image.ts';
import { checkImage } from '../input-checks.ts';
import type { JanusPreprocessing } from './janus-model-folder.ts';

export interface JanusPixels {
  /** pixel_values of one image, [3, S, S], for an encoded segment. */
  readonly input: EncoderInput;
  /** What was done to make the image fit (a gray image made RGB, a resize), for the caller to show. */
  readonly notices: readonly string[];
}

/**
 * The size transformers.js's ImageProcessor resizes to for an integer `size` (Janus's image_size):
 * the shortest side to S, then the longest down to S, each rounded as it rounds them.
 */
export function janusFitSize(width: number, height: number, side: number): readonly [number, number] {
  const up = Math.max(side / width, side / height);
  const [w, h] = [width * up, height * up];
  const down = Math.min(side / w, side / h);
  return [Math.floor(Number((w * down).toFixed(2))), Math.floor(Number((h * down).toFixed(2)))];
}

/**
 * An understanding image as transformers.js's VLChatProcessor prepares it (VLMImageProcessor): RGB,
 * fitted into S x S keeping its aspect, 8-bit levels rescaled and normalised (preprocessor
 * config), then centred on an S x S canvas whose border is background_color x rescale_factor (as
 * transformers.js pads: after normalising, with the rescaled colour). Pixel values match
 * transformers.js's exactly for an image that needs no resize; a resize here is our own (area or
 * bilinear), not the sharp library's bicubic, so resized inputs may differ slightly. A gray image
 * is made RGB (the level in r, g and b) with a notice; other channel counts are refused.
 */
export function janusPixelValues(image: GrayImage, pre: JanusPreprocessing, what = 'image'): JanusPixels {
  checkImage(image, what);
  const notices: string[] = [];
  let rgb = image;
  if (channelsOf(image) !== 3) {
    notices.push(`${what} has 1 channel (gray); the model reads RGB (3 channels): converted, the gray level in r, g and b`);
    rgb = toChannels(image, 3);
  }
  const S = pre.imageSize;
  const [width, height] = janusFitSize(rgb.width, rgb.height, S);
  if (width < 1 || height < 1) {
    throw new InputError(what, `${rgb.width}x${rgb.height}`, `an image whose sides differ at most about ${S}-fold (the model's ${S}x${S} input)`,
      `${what} is ${rgb.width}x${rgb.height}: fitted into the model's ${S}x${S} input it would be ${width}x${height} pixels; crop it to a less extreme aspect ratio`);
  }
  if (width !== rgb.width || height !== rgb.height) {
    const padded = width !== S || height !== S ? ' (then centred on the background colour)' : '';
    notices.push(`${what} is ${rgb.width}x${rgb.height}; resized to ${width}x${height} to fit the model's ${S}x${S} input${padded}`);
    rgb = resizeGray(rgb, width, height);
  }
  const data = new Float32Array(3 * S * S);
  const plane = S * S;
  for (let c = 0; c < 3; c++) data.fill(Math.fround((pre.background[c] as number) * pre.rescaleFactor), c * plane, (c + 1) * plane);
  const left = Math.floor((S - width) / 2);
  const top = Math.floor((S - height) / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        // The 8-bit level the image had (transformers.js works on uint8 images), rescaled then normalised in float32 steps.
        const level = Math.round(Math.min(1, Math.max(0, rgb.pixels[(y * width + x) * 3 + c] as number)) * 255);
        let value = Math.fround(pre.rescaleFactor * level);
        if (pre.normalize) value = Math.fround((value - (pre.mean[c] as number)) / (pre.std[c] as number));
        data[c * plane + (y + top) * S + x + left] = value;
      }
    }
  }
  return { input: { kind: JANUS_IMAGE_INPUT, dims: [3, S, S], data }, notices };
}
