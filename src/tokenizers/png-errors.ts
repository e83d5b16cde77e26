import { InputError } from '../core/errors.ts';

/** Groups digits so limits read at a glance: 16,777,216 rather than 16777216. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * A PNG that cannot be decoded, said in our words. The decoder's own text, when there is one, is
 * kept only as `cause`: its wording ("Crc error - 12 - 34") means nothing to the person holding the file.
 */
export function damagedPng(source: string, reason: string, cause?: unknown): InputError {
  const error = new InputError('image file', source, 'a valid PNG file', `${source} is a damaged PNG file: ${reason}`);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** A PNG (or its file) past one of readPng's limits; names the option that raises the limit. */
export function pngTooLarge(source: string, got: string, limit: string, option: string): InputError {
  return new InputError('image file', source, `at most ${limit}`,
    `${source}: ${got} is over the limit of ${limit} (pass ${option} to raise it)`);
}
