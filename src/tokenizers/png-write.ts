import { PNG } from 'pngjs';
import { InputError } from '../core/errors.ts';
import type { GrayImage, RgbImage } from './gray-image.ts';

/**
 * Encodes an 8-bit PNG: grayscale for a one-channel image, RGB for an RgbImage or an image with
 * `channels: 3`. Values are clamped to [0, 1]; a non-finite value is an error.
 */
export function encodePng(image: GrayImage | RgbImage): Buffer {
  const isRgb = 'rgb' in image || image.channels === 3;
  const values = 'rgb' in image ? image.rgb : image.pixels;
  const channels = isRgb ? 3 : 1;
  const what = isRgb ? 'rgb image' : 'gray image';
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) {
    throw new InputError(`${what} size`, `${image.width}x${image.height}`, 'positive integer width and height');
  }
  if (values.length !== image.width * image.height * channels) {
    throw new InputError(`${what} data length`, values.length, `${image.width * image.height * channels} (${image.width}x${image.height}x${channels})`);
  }
  const png = new PNG({ width: image.width, height: image.height });
  for (let i = 0; i < image.width * image.height; i++) {
    for (let c = 0; c < 3; c++) {
      const index = i * channels + (isRgb ? c : 0);
      const value = values[index] as number;
      if (!Number.isFinite(value)) {
        throw new InputError(`${what} value [${index}]`, value, 'a finite number (0 = black, 1 = white)');
      }
      png.data[4 * i + c] = Math.round(Math.min(1, Math.max(0, value)) * 255);
    }
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: isRgb ? 2 : 0, inputColorType: 6, inputHasAlpha: true });
}
