import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/tokenizers/crc32.ts';

export const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk: length, type, data, CRC over type + data. */
export function chunk(type: string, data: Uint8Array = new Uint8Array(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export interface CraftedHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth?: number;
  readonly colorType?: number;
  readonly interlace?: number;
}

export function ihdr(header: CraftedHeader): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(header.width, 0);
  data.writeUInt32BE(header.height, 4);
  data[8] = header.bitDepth ?? 8;
  data[9] = header.colorType ?? 0;
  data[12] = header.interlace ?? 0;
  return chunk('IHDR', data);
}

/**
 * An 8-bit gray PNG whose header claims width×height but whose image data holds only `rows`
 * rows (filter byte 0, then mid-gray): the shape of a decompression bomb or a cut-off download.
 */
export function craftPng(header: CraftedHeader, rows: number): Buffer {
  const row = Buffer.alloc(1 + header.width, 128);
  row[0] = 0;
  const raw = Buffer.alloc(row.length * rows);
  for (let y = 0; y < rows; y++) row.copy(raw, y * row.length);
  return Buffer.concat([SIGNATURE, ihdr(header), chunk('IDAT', deflateSync(raw)), chunk('IEND')]);
}
