import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { checkImageCount, MAX_IMAGES } from '../src/cli/output-file.ts';

describe('checkImageCount', () => {
  it('accepts 1 to MAX_IMAGES and refuses more, naming -n/--count and the limit', () => {
    expect(MAX_IMAGES).toBe(4096);
    expect(checkImageCount(1)).toBe(1);
    expect(checkImageCount(MAX_IMAGES)).toBe(MAX_IMAGES);
    expect(() => checkImageCount(4097)).toThrow(new InputError('-n/--count', 4097, 'an integer in [1, 4096]',
      '-n/--count 4097 is over the limit of 4096 images per run; run several times with different --seed values'));
  });

  it('refuses zero, fractions and NaN, naming the flag it is given', () => {
    expect(() => checkImageCount(0)).toThrow('-n/--count must be an integer from 1 to 4096, got 0');
    expect(() => checkImageCount(2.5, 'task.count')).toThrow('task.count must be an integer from 1 to 4096, got 2.5');
    expect(() => checkImageCount(Number.NaN)).toThrow('-n/--count must be an integer from 1 to 4096, got NaN');
  });
});
