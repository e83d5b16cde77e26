import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { AbortError, InputError } from '../core/errors.ts';

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

export type ResizeMethod = 'auto' | 'area' | 'bilinear';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads a PNG as gray levels in [0, 1]. Colour is reduced to luma with ITU-R 601 weights (what
 * PIL's convert('L') does, so images prepared in Python read the same); alpha is composited on
 * black, the training background.
 */
export async function readPng(path: string): Promise<GrayImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError('image file', path, 'a readable PNG file',
      code === 'ENOENT' ? `image file ${path} does not exist` : `cannot read image file ${path}: ${(error as Error).message}`);
  }
  if (bytes.length < PNG_SIGNATURE.length || !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new InputError('image file', path, 'a PNG file',
      `${path} is not a PNG file (it does not start with the PNG signature${describeFormat(bytes)}); convert it to PNG first`);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    throw new InputError('image file', path, 'a valid PNG file', `${path} is a damaged PNG file: ${(error as Error).message}`);
  }
  if (png.width === 0 || png.height === 0) {
    throw new InputError('image file', path, 'an image with at least one pixel', `${path} is empty (${png.width}x${png.height})`);
  }
  // pngjs always hands back 8-bit RGBA, whatever the file's colour type and depth.
  const pixels = new Float32Array(png.width * png.height);
  const data = png.data;
  for (let i = 0; i < pixels.length; i++) {
    const r = data[4 * i] as number;
    const g = data[4 * i + 1] as number;
    const b = data[4 * i + 2] as number;
    const a = data[4 * i + 3] as number;
    pixels[i] = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * (a / 255);
  }
  return { width: png.width, height: png.height, pixels };
}

function describeFormat(bytes: Buffer): string {
  const head = bytes.subarray(0, 12);
  if (head[0] === 0xff && head[1] === 0xd8) return '; it looks like a JPEG';
  if (head.subarray(0, 3).toString('latin1') === 'GIF') return '; it looks like a GIF';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') {
    return '; it looks like a WebP';
  }
  if (head.subarray(0, 2).toString('latin1') === 'BM') return '; it looks like a BMP';
  if (bytes.length === 0) return '; the file is empty';
  return '';
}

/**
 * Resizes a gray image. 'area' averages the exact source area under each output pixel (right for
 * shrinking: no aliasing); 'bilinear' interpolates between pixel centres (right for enlarging);
 * 'auto' picks per axis.
 */
export function resizeGray(image: GrayImage, width: number, height: number, method: ResizeMethod = 'auto'): GrayImage {
  checkGrayImage(image, 'image');
  for (const [what, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`resize ${what}`, value, 'an integer >= 1');
  }
  if (width === image.width && height === image.height) {
    return { width, height, pixels: image.pixels.slice() };
  }
  // Separable: a box (or tent) kernel is a product of 1-D kernels, so two 1-D passes are exact.
  const horizontal = axisWeights(image.width, width, method);
  const vertical = axisWeights(image.height, height, method);
  const rows = new Float32Array(width * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const { indices, weights } = horizontal[x] as AxisWeights;
      let sum = 0;
      for (let k = 0; k < indices.length; k++) {
        sum += (image.pixels[y * image.width + (indices[k] as number)] as number) * (weights[k] as number);
      }
      rows[y * width + x] = sum;
    }
  }
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const { indices, weights } = vertical[y] as AxisWeights;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < indices.length; k++) {
        sum += (rows[(indices[k] as number) * width + x] as number) * (weights[k] as number);
      }
      pixels[y * width + x] = sum;
    }
  }
  return { width, height, pixels };
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
  const width = image.width * factor;
  const height = image.height * factor;
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      pixels[y * width + x] = image.pixels[sourceRow + Math.floor(x / factor)] as number;
    }
  }
  return { width, height, pixels };
}

/**
 * Lays equally sized images out row by row, `columns` per row (fewer if there are fewer images).
 * The gap is mid-gray so it stays visible between black-background images; empty cells stay black.
 */
export function imageGrid(images: readonly GrayImage[], columns: number, gap = 2, gapValue = 0.5): GrayImage {
  const first = images[0];
  if (first === undefined) throw new InputError('grid images', images.length, 'at least one image');
  if (!Number.isInteger(columns) || columns < 1) throw new InputError('grid columns', columns, 'an integer >= 1');
  if (!Number.isInteger(gap) || gap < 0) throw new InputError('grid gap', gap, 'an integer >= 0');
  images.forEach((image, index) => {
    checkGrayImage(image, `grid image ${index}`);
    if (image.width !== first.width || image.height !== first.height) {
      throw new InputError(`grid image ${index}`, `${image.width}x${image.height}`, `${first.width}x${first.height} like image 0`);
    }
  });
  const cols = Math.min(columns, images.length);
  const rows = Math.ceil(images.length / cols);
  const width = cols * first.width + (cols - 1) * gap;
  const height = rows * first.height + (rows - 1) * gap;
  const pixels = new Float32Array(width * height).fill(gapValue);
  for (let cell = 0; cell < rows * cols; cell++) {
    const image = images[cell];
    const left = (cell % cols) * (first.width + gap);
    const top = Math.floor(cell / cols) * (first.height + gap);
    for (let y = 0; y < first.height; y++) {
      const target = (top + y) * width + left;
      if (image === undefined) pixels.fill(0, target, target + first.width);
      else pixels.set(image.pixels.subarray(y * first.width, (y + 1) * first.width), target);
    }
  }
  return { width, height, pixels };
}

/** Encodes an 8-bit PNG (grayscale or RGB). Values are clamped to [0, 1]; a non-finite value is an error. */
export function encodePng(image: GrayImage | RgbImage): Buffer {
  const isRgb = 'rgb' in image;
  const values = isRgb ? image.rgb : image.pixels;
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

export interface WriteFileOptions {
  /** Replace an existing file (the CLI's --force). */
  readonly overwrite?: boolean;
  /** If it fires before the file is in place, nothing is written. */
  readonly signal?: AbortSignal;
}

/**
 * Writes a file so that readers only ever see nothing or the whole file: the data goes to a hidden
 * temporary file in the same folder (same filesystem, so the final step is an atomic rename/link),
 * which is removed on any error or abort. Refuses to replace an existing file unless asked to.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): Promise<void> {
  const overwrite = options.overwrite === true;
  if (!overwrite && await exists(path)) throw alreadyExists(path);
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temporary, 'wx');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError('output path', path, 'a path in an existing, writable folder',
      code === 'ENOENT' ? `cannot write ${path}: folder ${folder} does not exist` : `cannot write ${path}: ${(error as Error).message}`);
  }
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.signal?.aborted === true) throw new AbortError(options.signal.reason);
    if (overwrite) {
      await rename(temporary, path);
    } else {
      // link() fails if the target exists, so a file created since the check above is never clobbered.
      try {
        await link(temporary, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw alreadyExists(path);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
        // Filesystems without hard links: best effort, re-check then rename.
        if (await exists(path)) throw alreadyExists(path);
        await rename(temporary, path);
      }
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function alreadyExists(path: string): InputError {
  return new InputError('output path', path, 'a path that does not exist yet, or overwrite: true',
    `${path} already exists; pass --force (overwrite: true) to replace it`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
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
