import { InputError } from '../core/errors.ts';

/** Values per pixel: 1 (gray) or 3 (r, g, b). */
export type ImageChannels = 1 | 3;

/**
 * An image: values in [0, 1] (0 = black, the Fashion-MNIST background), row-major, `channels`
 * values per pixel interleaved (r, g, b for 3). Without `channels` it is gray, one value per pixel:
 * the embedded model's images, hence the name.
 */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
  /** 1 (gray, the default when absent) or 3 (RGB, interleaved). */
  readonly channels?: ImageChannels;
}

/** A colour image for output only (e.g. overlays): r, g, b interleaved, values in [0, 1], row-major. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Float32Array;
}

/** The image's values per pixel (1 when it does not say). */
export function channelsOf(image: { readonly channels?: ImageChannels }): ImageChannels {
  return image.channels ?? 1;
}

/** Checks that an image has a positive integer size, 1 or 3 channels and exactly width x height x channels values. */
export function checkGrayImage(image: GrayImage, what = 'image'): void {
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) {
    throw new InputError(`${what} size`, `${image.width}x${image.height}`, 'at least 1x1 pixels');
  }
  if (image.channels !== undefined && image.channels !== 1 && image.channels !== 3) {
    throw new InputError(`${what} channels`, image.channels, '1 (gray) or 3 (RGB)');
  }
  const channels = channelsOf(image);
  if (image.pixels.length !== image.width * image.height * channels) {
    throw new InputError(`${what} pixel count`, image.pixels.length,
      `${image.width * image.height * channels} (${image.width}x${image.height}${channels === 1 ? '' : `x${channels}`})`);
  }
}
