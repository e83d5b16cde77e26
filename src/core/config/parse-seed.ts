import { ConfigError } from '../errors.ts';

/** Seeds are 32-bit unsigned integers, the same everywhere (CLI, config file, API). */
export const SEED_LIMIT = 2 ** 32;

export const SEED_EXPECTED = `an integer in [0, ${SEED_LIMIT})`;

/**
 * The one seed parser. Numbers and numeric strings ("5", "5.0", "5e0") with the same integer value
 * give the same seed, so `--seed 5.0`, `--seed 5` and `seed: 5.0` in YAML produce the same images.
 * Anything else (words, fractions, negatives, NaN, >= 2^32) is refused naming `field`.
 */
export function parseSeed(value: unknown, field: string): number {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'bigint') number = Number(value);
  // Number('') and Number('  ') are 0: an empty string is not a seed.
  else if (typeof value === 'string' && value.trim() !== '') number = Number(value);
  else throw new ConfigError(field, value, SEED_EXPECTED);
  if (!Number.isInteger(number) || number < 0 || number >= SEED_LIMIT) throw new ConfigError(field, value, SEED_EXPECTED);
  // -0 would print as "0" anyway; normalise so equal seeds are also identical values.
  return number === 0 ? 0 : number;
}
