import { thrown } from './support/thrown.ts';
import { describe, expect, it } from 'vitest';
import { integerFlag } from '../src/cli/run-settings.ts';
import { ConfigError } from '../src/core/errors.ts';

const refusal = (run: () => unknown): ConfigError => thrown(ConfigError, run);

describe('integerFlag', () => {
  it('reads integers and leaves an absent flag undefined', () => {
    expect(integerFlag('16', '--batch-size', 1)).toBe(16);
    expect(integerFlag('1e2', '--batch-size', 1)).toBe(100);
    expect(integerFlag(undefined, '--batch-size', 1)).toBeUndefined();
  });

  it('refuses words, fractions, empty text and values below the minimum, naming the flag and the text', () => {
    for (const bad of ['abc', '0', '-3', '2.5', '', ' ', 'Infinity']) {
      const error = refusal(() => integerFlag(bad, '--batch-size', 1));
      expect(error.what).toBe('--batch-size');
      expect(error.got).toBe(bad);
      expect(error.message).toBe(`--batch-size: got ${JSON.stringify(bad)}, expected an integer >= 1`);
    }
  });

  it('states both bounds when there is a maximum', () => {
    expect(refusal(() => integerFlag('33', '--scale', 1, 32)).message).toBe('--scale: got "33", expected an integer from 1 to 32');
    expect(integerFlag('32', '--scale', 1, 32)).toBe(32);
  });
});
