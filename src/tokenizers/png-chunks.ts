import { crc32 } from './crc32.ts';
import { damagedPng, formatCount, pngTooLarge } from './png-errors.ts';

/** What a PNG's IHDR chunk says about its pixels. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  readonly colorType: number;
  readonly interlaced: boolean;
}

/** The header and the image data (the IDAT chunks' payloads, still compressed), checked. */
export interface PngChunks {
  readonly header: PngHeader;
  readonly imageData: readonly Buffer[];
}

/** Bit depths PNG allows for each colour type. */
const DEPTHS: ReadonlyMap<number, readonly number[]> = new Map([
  [0, [1, 2, 4, 8, 16]], [2, [8, 16]], [3, [1, 2, 4, 8]], [4, [8, 16]], [6, [8, 16]],
]);

/** The chunks pngjs reads (and checks the CRC of); others it skips, so a bad CRC there is harmless. */
const CHECKED = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA']);

const PNG_MAX_INT = 2 ** 31 - 1;
const SIGNATURE_BYTES = 8;

/**
 * Walks the chunks of a PNG whose signature was already checked, before any decoder sees it: the
 * IHDR is read first and the pixel limit applied there, so a 370-byte file claiming 30000×30000
 * is refused without allocating anything. Every structural fault pngjs would trip on is named here.
 */
export function readPngChunks(bytes: Buffer, source: string, maxPixels: number): PngChunks {
  let header: PngHeader | undefined;
  let hasPalette = false;
  let ended = false;
  const imageData: Buffer[] = [];
  let offset = SIGNATURE_BYTES;
  for (let index = 0; offset < bytes.length; index++) {
    if (ended) throw damagedPng(source, `${formatCount(bytes.length - offset)} bytes follow its IEND chunk, which should end the file`);
    if (bytes.length - offset < 8) throw damagedPng(source, 'it ends inside a chunk header (the file is cut short)');
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/.test(type)) {
      throw damagedPng(source, `chunk ${index + 1} (at byte ${formatCount(offset)}) has no valid type (bytes ${bytes.subarray(offset + 4, offset + 8).toString('hex')})`);
    }
    if (length > PNG_MAX_INT) throw damagedPng(source, `chunk ${type} claims ${formatCount(length)} bytes, more than PNG allows`);
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > bytes.length) throw damagedPng(source, `it ends inside chunk ${type} (the file is cut short)`);
    const data = bytes.subarray(offset + 8, dataEnd);
    if (index === 0 && type !== 'IHDR') throw damagedPng(source, `its first chunk is ${type}, where IHDR (the header) must come first`);
    if (CHECKED.has(type) && crc32(bytes.subarray(offset + 4, dataEnd)) !== bytes.readUInt32BE(dataEnd)) {
      throw damagedPng(source, `bad CRC in chunk ${type} (its bytes were changed or cut)`);
    }
    if (type === 'IHDR') {
      if (header !== undefined) throw damagedPng(source, 'it has a second IHDR chunk');
      header = parseHeader(data, source);
      const pixels = header.width * header.height;
      if (pixels > maxPixels) {
        throw pngTooLarge(source, `${header.width}×${header.height} pixels`, `${formatCount(maxPixels)} pixels`, 'maxPixels (--max-pixels on the command line)');
      }
    } else if (type === 'PLTE') {
      hasPalette = true;
    } else if (type === 'IDAT') {
      if (header?.colorType === 3 && !hasPalette) throw damagedPng(source, 'it uses a palette but has no PLTE chunk before its image data');
      imageData.push(data);
    } else if (type === 'IEND') {
      ended = true;
    } else if (((bytes[offset + 4] as number) & 0x20) === 0) {
      // An upper-case first letter marks a chunk needed to show the image; unknown ones cannot be skipped.
      throw damagedPng(source, `it has a critical chunk ${type} that no PNG reader knows`);
    }
    offset = dataEnd + 4;
  }
  if (header === undefined) throw damagedPng(source, 'it has no IHDR chunk (the file is cut short)');
  if (!ended) throw damagedPng(source, 'it ends before its IEND chunk (the file is cut short)');
  if (imageData.length === 0) throw damagedPng(source, 'it has no image data (no IDAT chunk)');
  return { header, imageData };
}

function parseHeader(data: Buffer, source: string): PngHeader {
  if (data.length !== 13) throw damagedPng(source, `its IHDR chunk is ${data.length} bytes long, where PNG needs 13`);
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  const [bitDepth, colorType, compression, filter, interlace] = [data[8], data[9], data[10], data[11], data[12]] as number[];
  if (width < 1 || height < 1 || width > PNG_MAX_INT || height > PNG_MAX_INT) {
    throw damagedPng(source, `its header says ${width}×${height} pixels; PNG needs 1 to ${formatCount(PNG_MAX_INT)} each way`);
  }
  const depths = DEPTHS.get(colorType as number);
  if (depths === undefined) throw damagedPng(source, `its header gives colour type ${colorType}, which PNG does not have`);
  if (!depths.includes(bitDepth as number)) {
    throw damagedPng(source, `its header gives bit depth ${bitDepth} for colour type ${colorType}, which PNG does not allow (only ${depths.join(', ')})`);
  }
  if (compression !== 0) throw damagedPng(source, `its header gives compression method ${compression}; PNG has only 0`);
  if (filter !== 0) throw damagedPng(source, `its header gives filter method ${filter}; PNG has only 0`);
  if (interlace !== 0 && interlace !== 1) throw damagedPng(source, `its header gives interlace method ${interlace}; PNG has only 0 and 1`);
  return { width, height, bitDepth: bitDepth as number, colorType: colorType as number, interlaced: interlace === 1 };
}
