import { constants } from 'node:buffer';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { checkGridOutput, MAX_IMAGES, MAX_OUTPUT_PIXELS } from '../src/cli/output-file.ts';
import { imageGrid } from '../src/tokenizers/png-image.ts';

describe('checkGridOutput', () => {
  it('refuses -n 1157 --scale 32 before decoding, naming both flags, where pngjs would fail only at the end', () => {
    // What pngjs does with that grid: a RangeError from its RGBA buffer, after the whole run.
    expect(() => new PNG({ width: 33536, height: 32576 })).toThrow(RangeError);
    let caught: unknown;
    try {
      checkGridOutput({ count: 1157, cellWidth: 28, cellHeight: 28, scale: 32 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toBe('-n/--count and --scale: 1157 image(s) at scale 32 make a 33536×32576 PNG '
      + '(1,092,468,736 pixels), over the limit of 67,108,864 pixels; lower -n/--count or --scale');
    expect((caught as InputError).what).toBe('-n/--count and --scale');
  });

  it('keeps its cap below what pngjs can encode, and lets the largest run at the default scale through', () => {
    expect(MAX_OUTPUT_PIXELS).toBeLessThan(constants.MAX_LENGTH / 4);
    expect(checkGridOutput({ count: MAX_IMAGES, cellWidth: 28, cellHeight: 28, scale: 4 }))
      .toEqual({ width: 7672, height: 7672, pixels: 7672 * 7672, rawBytes: 7672 * 7673 });
  });

  it('predicts the size imageGrid draws, for a trace layout too', () => {
    const cell = { width: 3, height: 2, pixels: new Float32Array(6) };
    const drawn = imageGrid(new Array(5).fill(cell), Math.ceil(Math.sqrt(5)));
    const planned = checkGridOutput({ count: 5, cellWidth: 3, cellHeight: 2, scale: 1 });
    expect([planned.width, planned.height]).toEqual([drawn.width, drawn.height]);
    const trace = checkGridOutput({ count: 2 * 6, cellWidth: 28, cellHeight: 28, scale: 1, columns: 2, gap: 1, flags: '--steps and --scale' });
    expect([trace.width, trace.height]).toEqual([2 * 28 + 1, 6 * 28 + 5]);
    expect(() => checkGridOutput({ count: 2 * 5000, cellWidth: 28, cellHeight: 28, scale: 32, columns: 2, gap: 1, flags: '--steps and --scale' }))
      .toThrow(/^--steps and --scale: /);
  });
});
