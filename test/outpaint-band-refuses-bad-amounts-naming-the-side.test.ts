import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { resolveOutpaintBand } from '../src/pipeline/outpaint-band.ts';

const grid = { height: 7, width: 7 };

function refusal(band: unknown, unit?: unknown): string {
  try {
    resolveOutpaintBand(band, unit, 28, grid);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('the band was accepted');
}

describe('outpainting amounts that cannot work are refused, naming the side', () => {
  it('negative or fractional amounts', () => {
    expect(refusal({ left: -1 })).toBe('outpaint left: got -1, expected an integer >= 0 (tokens)');
    expect(refusal({ top: 1.5 })).toBe('outpaint top: got 1.5, expected an integer >= 0 (tokens)');
    expect(refusal({ bottom: '2' })).toBe('outpaint bottom: got "2", expected an integer >= 0 (tokens)');
    expect(refusal({ right: 2.5 }, 'pixels')).toBe('outpaint right: got 2.5, expected an integer >= 0 (pixels)');
  });

  it('amounts that leave no known column or row', () => {
    expect(refusal({ left: 5, right: 2 })).toBe(
      'outpaint left (5) + right (2) = 7 tokens leaves no known column of the 7-column token grid; left + right must be at most 6');
    expect(refusal({ top: 7 })).toBe(
      'outpaint top (7) + bottom (0) = 7 tokens leaves no known row of the 7-row token grid; top + bottom must be at most 6');
    // 25 px at 4 px per token rounds up to 7 tokens.
    expect(refusal({ bottom: 25 }, 'pixels')).toBe('outpaint top (0) + bottom (7) = 7 tokens (from bottom 25 pixels at 4 px per token) '
      + 'leaves no known row of the 7-row token grid; top + bottom must be at most 6');
  });

  it('nothing to generate, an unknown side, or a unit that is not tokens or pixels', () => {
    expect(refusal({})).toBe('outpaint: left, right, top and bottom are all 0; nothing to generate (extend at least one side)');
    expect(refusal({ lefft: 2 })).toBe('outpaint: unknown side "lefft"; the sides are left, right, top and bottom');
    expect(refusal(3)).toBe('outpaint band: got 3, expected an object { left?, right?, top?, bottom? } in tokens');
    expect(refusal({ left: 1 }, 'cm')).toBe('outpaint unit: got "cm", expected "tokens" or "pixels"');
  });
});
