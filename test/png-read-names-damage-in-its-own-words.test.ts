import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { decodePng } from '../src/tokenizers/png-image.ts';
import { chunk, craftPng, ihdr, SIGNATURE } from './support/crafted-png.ts';

function refusal(bytes: Buffer): InputError {
  let caught: unknown;
  try {
    decodePng(bytes, { source: 'shoe.png' });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as InputError).got).toBe('shoe.png');
  return caught as InputError;
}

const good = craftPng({ width: 4, height: 3 }, 3);
const idat = (): Buffer => chunk('IDAT', good.subarray(8 + 25 + 8, good.length - 12 - 4));
const damaged = (reason: string): string => `shoe.png is a damaged PNG file: ${reason}`;

describe('decodePng damage messages', () => {
  it('names a bad CRC by chunk, not with pngjs\'s "Crc error - n - m"', () => {
    const bytes = Buffer.from(good);
    bytes[8 + 8 + 3] = 9; // inside IHDR's width, after its CRC was computed
    const error = refusal(bytes);
    expect(error.message).toBe(damaged('bad CRC in chunk IHDR (its bytes were changed or cut)'));
    expect(error.message).not.toMatch(/Crc error/);
  });

  it('names a file cut short inside a chunk, before IEND, or before any chunk', () => {
    expect(refusal(good.subarray(0, 30)).message).toBe(damaged('it ends inside chunk IHDR (the file is cut short)'));
    expect(refusal(good.subarray(0, good.length - 12)).message).toBe(damaged('it ends before its IEND chunk (the file is cut short)'));
    expect(refusal(SIGNATURE).message).toBe(damaged('it has no IHDR chunk (the file is cut short)'));
  });

  it('names chunks out of order, unknown critical chunks, junk after IEND and a missing palette', () => {
    expect(refusal(Buffer.concat([SIGNATURE, idat(), ihdr({ width: 4, height: 3 }), chunk('IEND')])).message)
      .toBe(damaged('its first chunk is IDAT, where IHDR (the header) must come first'));
    expect(refusal(Buffer.concat([SIGNATURE, ihdr({ width: 4, height: 3 }), chunk('ZZZZ'), idat(), chunk('IEND')])).message)
      .toBe(damaged('it has a critical chunk ZZZZ that no PNG reader knows'));
    expect(refusal(Buffer.concat([good, Buffer.from('junk')])).message)
      .toBe(damaged('4 bytes follow its IEND chunk, which should end the file'));
    expect(refusal(Buffer.concat([SIGNATURE, ihdr({ width: 4, height: 3, colorType: 3 }), idat(), chunk('IEND')])).message)
      .toBe(damaged('it uses a palette but has no PLTE chunk before its image data'));
    // An unknown ancillary chunk (lower-case first letter) is skipped, as the PNG spec says.
    expect(decodePng(Buffer.concat([SIGNATURE, ihdr({ width: 4, height: 3 }), chunk('zzZZ'), idat(), chunk('IEND')])).width).toBe(4);
  });

  it('names impossible header fields', () => {
    const withHeader = (header: Parameters<typeof ihdr>[0]): Buffer => Buffer.concat([SIGNATURE, ihdr(header), idat(), chunk('IEND')]);
    expect(refusal(withHeader({ width: 0, height: 3 })).message).toBe(damaged('its header says 0×3 pixels; PNG needs 1 to 2,147,483,647 each way'));
    expect(refusal(withHeader({ width: 4, height: 3, bitDepth: 3 })).message)
      .toBe(damaged('its header gives bit depth 3 for colour type 0, which PNG does not allow (only 1, 2, 4, 8, 16)'));
    expect(refusal(withHeader({ width: 4, height: 3, colorType: 5 })).message).toBe(damaged('its header gives colour type 5, which PNG does not have'));
    expect(refusal(withHeader({ width: 4, height: 3, interlace: 2 })).message).toBe(damaged('its header gives interlace method 2; PNG has only 0 and 1'));
  });

  it('names image data that is not zlib data, keeping zlib\'s own text only as the cause', () => {
    const error = refusal(Buffer.concat([SIGNATURE, ihdr({ width: 4, height: 3 }), chunk('IDAT', Buffer.from('not zlib at all')), chunk('IEND')]));
    expect(error.message).toBe(damaged('its image data is not valid compressed (zlib) data'));
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toMatch(/header check/);
  });
});
