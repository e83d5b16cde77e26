import { constants as bufferConstants } from 'node:buffer';
import { constants, inflateSync } from 'node:zlib';
import { InputError } from '../core/errors.ts';
import type { PngChunks, PngHeader } from './png-chunks.ts';
import { damagedPng, formatCount } from './png-errors.ts';

const CHANNELS: ReadonlyMap<number, number> = new Map([[0, 1], [2, 3], [3, 1], [4, 2], [6, 4]]);

/** Adam7's seven passes: first column, first row, column step, row step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

/** Bytes in one row of `width` pixels once inflated, including the leading filter-type byte. */
function rowBytes(header: PngHeader, width: number): number {
  return Math.ceil((width * (CHANNELS.get(header.colorType) ?? 4) * header.bitDepth) / 8) + 1;
}

/** How many bytes the inflated image data must hold for the header's size, depth and interlacing. */
export function inflatedImageBytes(header: PngHeader): number {
  if (!header.interlaced) return header.height * rowBytes(header, header.width);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const width = Math.max(0, Math.ceil((header.width - x0) / dx));
    const height = Math.max(0, Math.ceil((header.height - y0) / dy));
    if (width > 0 && height > 0) total += height * rowBytes(header, width);
  }
  return total;
}

/**
 * Inflates the image data to check it covers every row. pngjs does not: given 10 rows under a
 * 30000-row header it hands back an image of zeros. Inflation stops at the size the header needs,
 * so a zlib bomb costs no more than an honest image of that size; surplus data is ignored, as
 * pngjs ignores it.
 */
export function checkImageData(chunks: PngChunks, source: string): void {
  const { header } = chunks;
  const needed = inflatedImageBytes(header);
  if (needed > bufferConstants.MAX_LENGTH) {
    throw new InputError('image file', source, `at most ${formatCount(bufferConstants.MAX_LENGTH)} bytes of image data`,
      `${source}: its ${header.width}×${header.height} pixels need ${formatCount(needed)} bytes once inflated, more than Node can hold in one buffer`);
  }
  let inflated: Buffer;
  try {
    // SYNC_FLUSH hands back what a cut-short stream holds instead of failing, so the rows can be counted.
    inflated = inflateSync(Buffer.concat(chunks.imageData), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: needed });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return;
    throw damagedPng(source, 'its image data is not valid compressed (zlib) data', error);
  }
  if (inflated.length >= needed) return;
  if (header.interlaced) {
    throw damagedPng(source, `its image data ends after ${formatCount(inflated.length)} of the ${formatCount(needed)} bytes its ${header.width}×${header.height} interlaced pixels need`);
  }
  const rows = Math.floor(inflated.length / rowBytes(header, header.width));
  throw damagedPng(source, `its image data ends after ${formatCount(rows)} of ${formatCount(header.height)} rows`);
}
