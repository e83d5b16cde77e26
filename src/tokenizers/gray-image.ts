import { InputError } from '../core/errors.ts';

/** A single-channel image: values in [0, 1] (0 = black, the Fashion-MNIST background), row-major. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
}

/** A colour image for output only (e.g. overlays): r, g, b interleaved, values in [0, 1], row-major. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Float32Array;
}

/** Checks that an image has a positive integer size and exactly width x height pixels. */
export function checkGrayImage(image: GrayImage, what = 'image'): void {
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) {
    throw new InputError(`${what} size`, `${image.width}x${image.height}`, 'at least 1x1 pixels');
  }
  if (image.pixels.length !== image.width * image.height) {
    throw new InputError(`${what} pixel count`, image.pixels.length, `${image.width * image.height} (${image.width}x${image.height})`);
  }
}
