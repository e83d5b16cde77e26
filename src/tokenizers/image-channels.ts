import { channelsOf, checkGrayImage, type GrayImage, type ImageChannels } from './gray-image.ts';

/** ITU-R 601 luma weights, what PIL's convert('L') uses (and readPng for colour files). */
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

/**
 * The image with `channels` values per pixel: gray -> RGB repeats the level in r, g and b; RGB ->
 * gray takes the luma. An image that already has them is returned as it is.
 */
export function toChannels(image: GrayImage, channels: ImageChannels): GrayImage {
  checkGrayImage(image, 'image');
  const from = channelsOf(image);
  if (from === channels) return image;
  const count = image.width * image.height;
  const pixels = new Float32Array(count * channels);
  if (channels === 3) {
    for (let i = 0; i < count; i++) pixels.fill(image.pixels[i] as number, 3 * i, 3 * i + 3);
    return { width: image.width, height: image.height, pixels, channels: 3 };
  }
  const [r, g, b] = LUMA_WEIGHTS;
  for (let i = 0; i < count; i++) {
    pixels[i] = r * (image.pixels[3 * i] as number) + g * (image.pixels[3 * i + 1] as number) + b * (image.pixels[3 * i + 2] as number);
  }
  return { width: image.width, height: image.height, pixels };
}

/** Interleaved (h, w, c) values -> planar (c, h, w), the NCHW layout ONNX image graphs take. */
export function toPlanar(image: GrayImage, out: Float32Array, offset: number): void {
  const channels = channelsOf(image);
  const count = image.width * image.height;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < count; i++) out[offset + c * count + i] = image.pixels[i * channels + c] as number;
  }
}

/** Planar (c, h, w) values at `offset` -> interleaved (h, w, c), each value passed through `map`. */
export function fromPlanar(values: ArrayLike<number>, offset: number, width: number, height: number, channels: ImageChannels,
  map: (value: number, index: number) => number): Float32Array {
  const count = width * height;
  const out = new Float32Array(count * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < count; i++) out[i * channels + c] = map(values[offset + c * count + i] as number, c * count + i);
  }
  return out;
}
