import { InputError } from '../core/errors.ts';
import { channelsOf, checkGrayImage, type GrayImage } from './gray-image.ts';

export type ResizeMethod = 'auto' | 'area' | 'bilinear';

/**
 * Resizes an image, each channel alike. 'area' averages the exact source area under each output
 * pixel (right for shrinking: no aliasing); 'bilinear' interpolates between pixel centres (right
 * for enlarging); 'auto' picks per axis.
 */
export function resizeGray(image: GrayImage, width: number, height: number, method: ResizeMethod = 'auto'): GrayImage {
  checkGrayImage(image, 'image');
  for (const [what, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`resize ${what}`, value, 'an integer >= 1');
  }
  const channels = channelsOf(image);
  const shape = channels === 1 ? {} : { channels };
  if (width === image.width && height === image.height) {
    return { width, height, pixels: image.pixels.slice(), ...shape };
  }
  // Separable: a box (or tent) kernel is a product of 1-D kernels, so two 1-D passes are exact.
  const horizontal = axisWeights(image.width, width, method);
  const vertical = axisWeights(image.height, height, method);
  const rows = new Float32Array(width * image.height * channels);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const { indices, weights } = horizontal[x] as AxisWeights;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = 0; k < indices.length; k++) {
          sum += (image.pixels[(y * image.width + (indices[k] as number)) * channels + c] as number) * (weights[k] as number);
        }
        rows[(y * width + x) * channels + c] = sum;
      }
    }
  }
  const pixels = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const { indices, weights } = vertical[y] as AxisWeights;
    for (let x = 0; x < width * channels; x++) {
      let sum = 0;
      for (let k = 0; k < indices.length; k++) {
        sum += (rows[(indices[k] as number) * width * channels + x] as number) * (weights[k] as number);
      }
      pixels[y * width * channels + x] = sum;
    }
  }
  return { width, height, pixels, ...shape };
}

interface AxisWeights {
  readonly indices: number[];
  readonly weights: number[];
}

function axisWeights(source: number, target: number, method: ResizeMethod): AxisWeights[] {
  const scale = source / target;
  const useArea = method === 'area' || (method === 'auto' && target < source);
  const out: AxisWeights[] = [];
  for (let o = 0; o < target; o++) {
    const indices: number[] = [];
    const weights: number[] = [];
    if (useArea) {
      const start = o * scale;
      const end = (o + 1) * scale;
      for (let i = Math.floor(start); i < Math.min(source, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 0) {
          indices.push(i);
          weights.push(overlap / scale);
        }
      }
    } else {
      const centre = Math.min(source - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const i0 = Math.floor(centre);
      const i1 = Math.min(source - 1, i0 + 1);
      const t = centre - i0;
      indices.push(i0, i1);
      weights.push(1 - t, t);
    }
    out.push({ indices, weights });
  }
  return out;
}

/** Enlarges by an integer factor, each pixel becoming a factor x factor block (28x28 is tiny on screen). */
export function upscaleNearest(image: GrayImage, factor: number): GrayImage {
  checkGrayImage(image, 'image');
  if (!Number.isInteger(factor) || factor < 1) throw new InputError('upscale factor', factor, 'an integer >= 1');
  const channels = channelsOf(image);
  const width = image.width * factor;
  const height = image.height * factor;
  const pixels = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      const source = (sourceRow + Math.floor(x / factor)) * channels;
      for (let c = 0; c < channels; c++) pixels[(y * width + x) * channels + c] = image.pixels[source + c] as number;
    }
  }
  return { width, height, pixels, ...(channels === 1 ? {} : { channels }) };
}
