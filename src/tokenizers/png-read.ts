import { constants as bufferConstants } from 'node:buffer';
import { open } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { InputError } from '../core/errors.ts';
import type { GrayImage, ImageChannels } from './gray-image.ts';
import { LUMA_WEIGHTS } from './image-channels.ts';
import { readPngChunks } from './png-chunks.ts';
import { damagedPng, formatCount, pngTooLarge } from './png-errors.ts';
import { checkImageData } from './png-image-data.ts';

/**
 * Default pixel limit: 16,777,216 (4096×4096). The model reads 28×28 images, so this is generous,
 * yet it bounds the decoder at a few hundred MB where a 30000×30000 header alone asked for 7 GB.
 */
export const DEFAULT_MAX_PNG_PIXELS = 4096 * 4096;

/**
 * Default file-size limit: 128 MiB, checked before the file is read. A 16-megapixel PNG stored
 * without any compression at 8 bits RGBA is 64 MiB, so no PNG within the pixel limit needs more
 * unless it is 16-bit or padded with junk chunks.
 */
export const DEFAULT_MAX_PNG_FILE_BYTES = 128 * 1024 * 1024;

export interface PngReadOptions {
  /** Refuse images with more pixels than this (default DEFAULT_MAX_PNG_PIXELS). */
  readonly maxPixels?: number;
  /** Refuse files (or byte arrays) longer than this (default DEFAULT_MAX_PNG_FILE_BYTES). */
  readonly maxFileBytes?: number;
  /** 1 (default): gray levels; 3: r, g, b (a gray file gives equal r, g and b). */
  readonly channels?: ImageChannels;
}

export interface DecodePngOptions extends PngReadOptions {
  /** Names the bytes in error messages (readPng passes the path); default "PNG data". */
  readonly source?: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** pngjs hands back 8-bit RGBA, so w×h×4 must fit in one Buffer. */
export const DECODER_MAX_PIXELS = Math.floor(bufferConstants.MAX_LENGTH / 4);

/**
 * Reads a PNG as gray levels in [0, 1], or as RGB with `channels: 3`. For gray, colour is reduced
 * to luma with ITU-R 601 weights (what PIL's convert('L') does, so images prepared in Python read
 * the same); alpha is composited on black, the training background. The file's size is checked before it is read, and its header
 * before it is decoded (see decodePng).
 */
export async function readPng(path: string, options: PngReadOptions = {}): Promise<GrayImage> {
  const maxFileBytes = limitOption('maxFileBytes', options.maxFileBytes, DEFAULT_MAX_PNG_FILE_BYTES, bufferConstants.MAX_LENGTH);
  const bytes = await readBounded(path, maxFileBytes);
  return decodePng(bytes, { ...options, source: path });
}

/**
 * Decodes PNG bytes as readPng does. Before pngjs sees them, the header is read here and checked
 * against maxPixels, every chunk pngjs reads is checked (CRC, order, IEND), and the image data is
 * checked to hold every row, so a damaged or hostile file is refused in our words, not pngjs's.
 */
export function decodePng(bytes: Uint8Array, options: DecodePngOptions = {}): GrayImage {
  const source = options.source ?? 'PNG data';
  const channels = channelsOption(options.channels);
  const maxPixels = limitOption('maxPixels', options.maxPixels, DEFAULT_MAX_PNG_PIXELS, DECODER_MAX_PIXELS);
  const maxFileBytes = limitOption('maxFileBytes', options.maxFileBytes, DEFAULT_MAX_PNG_FILE_BYTES, bufferConstants.MAX_LENGTH);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length > maxFileBytes) {
    throw pngTooLarge(source, `${formatCount(buffer.length)} bytes`, `${formatCount(maxFileBytes)} bytes`, 'maxFileBytes');
  }
  if (buffer.length < PNG_SIGNATURE.length || !buffer.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new InputError('image file', source, 'a PNG file',
      `${source} is not a PNG file (it does not start with the PNG signature${describeFormat(buffer)}); convert it to PNG first`);
  }
  const chunks = readPngChunks(buffer, source, maxPixels);
  checkImageData(chunks, source);
  let png: PNG;
  try {
    png = PNG.sync.read(buffer);
  } catch (error) {
    // Everything pngjs checks was checked above; reaching this is a fault we did not foresee.
    throw damagedPng(source, 'the PNG decoder refused it (see cause)', error);
  }
  const { width, height } = chunks.header;
  if (png.width !== width || png.height !== height || png.data.length !== width * height * 4) {
    throw damagedPng(source, `the decoder returned ${png.data.length} bytes for ${width}×${height} pixels`);
  }
  // pngjs always hands back 8-bit RGBA, whatever the file's colour type and depth.
  const count = width * height;
  const pixels = new Float32Array(count * channels);
  const data = png.data;
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let i = 0; i < count; i++) {
    const r = data[4 * i] as number;
    const g = data[4 * i + 1] as number;
    const b = data[4 * i + 2] as number;
    const alpha = (data[4 * i + 3] as number) / 255;
    if (channels === 1) {
      pixels[i] = ((wr * r + wg * g + wb * b) / 255) * alpha;
    } else {
      pixels[3 * i] = (r / 255) * alpha;
      pixels[3 * i + 1] = (g / 255) * alpha;
      pixels[3 * i + 2] = (b / 255) * alpha;
    }
  }
  return channels === 1 ? { width, height, pixels } : { width, height, pixels, channels };
}

function channelsOption(value: unknown): ImageChannels {
  if (value === undefined || value === 1 || value === 3) return value ?? 1;
  throw new InputError('channels', value, '1 (gray) or 3 (RGB)');
}

function limitOption(name: string, value: number | undefined, fallback: number, most: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > most) throw new InputError(name, value, `an integer in [1, ${formatCount(most)}]`);
  return value;
}

/**
 * Reads at most maxBytes: a regular file's size is checked before reading, and anything else
 * (a pipe, /dev/zero) is read only until it passes the limit, never to its end.
 */
async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError('image file', path, 'a PNG file', `${path} is a folder, not a PNG file`);
    if (info.isFile() && info.size > maxBytes) {
      throw pngTooLarge(path, `the file (${formatCount(info.size)} bytes)`, `${formatCount(maxBytes)} bytes`, 'maxFileBytes');
    }
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const part = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(part, 0, part.length, null);
      if (bytesRead === 0) break;
      parts.push(part.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) {
        throw pngTooLarge(path, `the file (more than ${formatCount(maxBytes)} bytes)`, `${formatCount(maxBytes)} bytes`, 'maxFileBytes');
      }
    }
    return Buffer.concat(parts, total);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw unreadable(path, error);
  } finally {
    await handle.close();
  }
}

function unreadable(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = code === 'ENOENT' ? `image file ${path} does not exist`
    : code === 'EACCES' || code === 'EPERM' ? `cannot read image file ${path}: permission denied`
      : `cannot read image file ${path}: ${(error as Error).message}`;
  const refusal = new InputError('image file', path, 'a readable PNG file', message);
  refusal.cause = error;
  return refusal;
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
