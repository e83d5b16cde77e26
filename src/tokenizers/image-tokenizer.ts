import { InputError, ModelFileError } from '../core/errors.ts';
import type { NamedTensor, TensorGraph } from '../core/tensor-graph.ts';
import { fromPlanar, toPlanar } from './image-channels.ts';
import { channelsOf, checkGrayImage, resizeGray, toChannels, type GrayImage, type ImageChannels } from './png-image.ts';

export interface TokenGrid {
  readonly height: number;
  readonly width: number;
}

export interface ImageTokenizerOptions {
  /** Side S of the square images the VQ graphs take and give (config vq.imageSize). */
  readonly imageSize: number;
  /** Code grid h x w (config vocabulary.imageGrid). */
  readonly grid: TokenGrid;
  /** K; codes outside [0, K) are rejected (config vocabulary.imageCodebookSize). */
  readonly codebookSize: number;
  /** C: 1 (gray, default) or 3 (RGB) values per pixel in the graphs' `pixels` (config vq.channels). */
  readonly channels?: ImageChannels;
  /** Told about anything done to an input that the caller may not expect (resizing). */
  readonly onWarning?: (message: string) => void;
}

/**
 * Images <-> VQ codes through the encoder and decoder graphs (docs/model-format.md):
 * encoder `pixels` float32 [B,C,S,S] -> `codes` int64 [B,h,w]; decoder the reverse. Images are
 * interleaved (GrayImage); the graphs take and give planar channels (NCHW).
 */
export class ImageTokenizer {
  readonly imageSize: number;
  readonly grid: TokenGrid;
  readonly codebookSize: number;
  readonly channels: ImageChannels;
  private readonly encoder: TensorGraph;
  private readonly decoder: TensorGraph;
  private readonly onWarning: (message: string) => void;

  constructor(encoder: TensorGraph, decoder: TensorGraph, options: ImageTokenizerOptions) {
    this.encoder = encoder;
    this.decoder = decoder;
    this.imageSize = options.imageSize;
    this.grid = options.grid;
    this.codebookSize = options.codebookSize;
    this.channels = options.channels ?? 1;
    this.onWarning = options.onWarning ?? (() => undefined);
    expectNames(encoder, 'inputs', encoder.inputNames, 'pixels');
    expectNames(encoder, 'outputs', encoder.outputNames, 'codes');
    expectNames(decoder, 'inputs', decoder.inputNames, 'codes');
    expectNames(decoder, 'outputs', decoder.outputNames, 'pixels');
  }

  get codesPerImage(): number { return this.grid.height * this.grid.width; }

  /**
   * Codes in raster order, one Int32Array of h*w per image. Images of another size are resized to
   * S x S (area when shrinking, bilinear when enlarging), and images of another channel count are
   * converted (gray -> RGB repeats the level, RGB -> gray takes the luma); both are reported through
   * onWarning.
   */
  async encode(images: readonly GrayImage[]): Promise<Int32Array[]> {
    if (images.length === 0) return [];
    const size = this.imageSize;
    const channels = this.channels;
    const perImage = channels * size * size;
    const pixels = new Float32Array(images.length * perImage);
    images.forEach((image, index) => {
      checkGrayImage(image, `image ${index}`);
      let input = image;
      if (channelsOf(image) !== channels) {
        this.onWarning(`image ${index} has ${describeChannels(channelsOf(image))}; converted to ${describeChannels(channels)} for the VQ encoder`);
        input = toChannels(input, channels);
      }
      if (image.width !== size || image.height !== size) {
        const aspect = image.width === image.height ? '' : ' (aspect ratio changed)';
        this.onWarning(`image ${index} is ${image.width}x${image.height}; resized to ${size}x${size}${aspect} for the VQ encoder`);
        input = resizeGray(input, size, size);
      }
      toPlanar(input, pixels, index * perImage);
    });
    const outputs = await this.encoder.run({ pixels: { type: 'float32', data: pixels, dims: [images.length, channels, size, size] } });
    const codes = outputOf(this.encoder, outputs, 'codes', [images.length, this.grid.height, this.grid.width]);
    if (codes.type === 'float32') {
      throw new ModelFileError(`${this.encoder.path}: output codes`, codes.type, 'int64 or int32');
    }
    const codesPerImage = this.codesPerImage;
    return images.map((_, index) => {
      const out = new Int32Array(codesPerImage);
      for (let i = 0; i < codesPerImage; i++) {
        const code = Number(codes.data[index * codesPerImage + i] as number | bigint);
        if (!Number.isInteger(code) || code < 0 || code >= this.codebookSize) {
          throw new ModelFileError(`${this.encoder.path}: codes[${index}][${i}]`, code, `a code in [0, ${this.codebookSize - 1}]`);
        }
        out[i] = code;
      }
      return out;
    });
  }

  /** Images (C channels, interleaved) for code grids (raster order, h*w codes each); values clamped to [0, 1]. */
  async decode(codes: readonly ArrayLike<number>[]): Promise<GrayImage[]> {
    if (codes.length === 0) return [];
    const perImage = this.codesPerImage;
    const data = new BigInt64Array(codes.length * perImage);
    codes.forEach((grid, index) => {
      if (grid.length !== perImage) {
        throw new InputError(`codes[${index}] length`, grid.length, `${perImage} (${this.grid.height}x${this.grid.width} grid)`);
      }
      for (let i = 0; i < perImage; i++) {
        const code = grid[i] as number;
        if (!Number.isInteger(code) || code < 0 || code >= this.codebookSize) {
          throw new InputError(`codes[${index}][${i}]`, code, `an image code in [0, ${this.codebookSize - 1}]`);
        }
        data[index * perImage + i] = BigInt(code);
      }
    });
    const size = this.imageSize;
    const channels = this.channels;
    const outputs = await this.decoder.run({ codes: { type: 'int64', data, dims: [codes.length, this.grid.height, this.grid.width] } });
    const pixels = outputOf(this.decoder, outputs, 'pixels', [codes.length, channels, size, size]);
    if (!(pixels.data instanceof Float32Array)) {
      throw new ModelFileError(`${this.decoder.path}: output pixels`, pixels.type, 'float32');
    }
    const values = pixels.data;
    const valuesPerImage = channels * size * size;
    return codes.map((_, index) => {
      const out = fromPlanar(values, index * valuesPerImage, size, size, channels, (value, i) => {
        if (Number.isNaN(value)) {
          throw new ModelFileError(`${this.decoder.path}: pixels[${index}][${i}]`, value, 'a number (the decoder produced NaN)');
        }
        // Decoders overshoot slightly; [0, 1] is the pixel contract.
        return Math.min(1, Math.max(0, value));
      });
      return channels === 1 ? { width: size, height: size, pixels: out } : { width: size, height: size, pixels: out, channels };
    });
  }

  /** See maskToGrid; `image` is the size of the picture the mask was drawn for (default S x S). */
  maskToGrid(mask: GrayImage, image: { readonly width: number; readonly height: number } = { width: this.imageSize, height: this.imageSize }): Uint8Array {
    return maskToGrid(mask, this.grid, image);
  }
}

/**
 * Inpainting mask -> one flag per code (raster order), Show-o's rule: area-average the mask over
 * each grid cell and regenerate (1) the cells at least half covered (>= 0.5), keep (0) the rest.
 * The mask may have any size with the same aspect ratio as the image it was drawn for (it is
 * resized, by area, straight to the grid); another aspect ratio is an error, since the mask would
 * no longer line up with the picture.
 */
export function maskToGrid(colourMask: GrayImage, grid: TokenGrid, image: { readonly width: number; readonly height: number } = grid): Uint8Array {
  checkGrayImage(colourMask, 'mask');
  // A colour mask counts by its luma, as a mask read from a colour PNG does.
  const mask = toChannels(colourMask, 1);
  const maskAspect = mask.width / mask.height;
  const imageAspect = image.width / image.height;
  // 1% tolerance: a mask saved at a rounded size (e.g. 100x99) still lines up.
  if (Math.abs(maskAspect - imageAspect) > 0.01 * imageAspect) {
    throw new InputError('mask size', `${mask.width}x${mask.height}`,
      `the image's aspect ratio (${image.width}x${image.height})`,
      `the mask is ${mask.width}x${mask.height} but the image is ${image.width}x${image.height}; `
      + 'their aspect ratios differ, so the mask cannot be lined up with the image');
  }
  const cells = resizeGray(mask, grid.width, grid.height, 'area').pixels;
  const flags = new Uint8Array(cells.length);
  // A tiny epsilon absorbs float error in the average of an exactly half-covered cell.
  for (let i = 0; i < cells.length; i++) flags[i] = (cells[i] as number) >= 0.5 - 1e-6 ? 1 : 0;
  return flags;
}

function describeChannels(channels: ImageChannels): string {
  return channels === 1 ? '1 channel (gray)' : '3 channels (RGB)';
}

function expectNames(graph: TensorGraph, kind: 'inputs' | 'outputs', names: readonly string[], needed: string): void {
  const ok = kind === 'inputs' ? names.length === 1 && names[0] === needed : names.includes(needed);
  if (!ok) {
    throw new ModelFileError(`${graph.path}: ${kind}`, names, kind === 'inputs' ? `exactly ["${needed}"]` : `a list including "${needed}"`);
  }
}

function outputOf(graph: TensorGraph, outputs: Record<string, NamedTensor>, name: string, dims: readonly number[]): NamedTensor {
  const tensor = outputs[name];
  if (tensor === undefined) {
    throw new ModelFileError(`${graph.path}: output ${name}`, Object.keys(outputs), `an output named "${name}"`);
  }
  if (tensor.dims.length !== dims.length || tensor.dims.some((dim, i) => dim !== dims[i])) {
    throw new ModelFileError(`${graph.path}: output ${name} shape`, tensor.dims, `[${dims.join(', ')}]`);
  }
  return tensor;
}
