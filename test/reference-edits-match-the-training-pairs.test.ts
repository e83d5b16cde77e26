import { describe, expect, it } from 'vitest';
import { boundingBoxArea, editSucceeded } from '../src/evaluation/edit-criteria.ts';
import { referenceEdit } from '../src/evaluation/reference-edits.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';

const source: GrayImage = {
  width: 28, height: 28,
  pixels: Float32Array.from({ length: 784 }, (_, i) => ((i % 28) > 3 && (i % 28) < 20 && i > 28 * 2 && i < 28 * 26 ? 0.64 : 0)),
};

describe('reference edits (the training pairs, in TypeScript)', () => {
  it('darker halves, lighter takes the square root, flip mirrors', () => {
    expect(referenceEdit('darker', source).pixels[28 * 10 + 5]).toBeCloseTo(0.32, 6);
    expect(referenceEdit('lighter', source).pixels[28 * 10 + 5]).toBeCloseTo(0.8, 6);
    const flipped = referenceEdit('flip', source);
    expect(flipped.pixels[28 * 10 + (27 - 5)]).toBeCloseTo(0.64, 6);
    expect(Array.from(referenceEdit('flip', flipped).pixels)).toEqual(Array.from(source.pixels));
  });

  it('smaller shrinks to 20x20 about the centre, and every reference edit passes its own success rule', () => {
    const smaller = referenceEdit('smaller', source);
    expect(boundingBoxArea(smaller)).toBeLessThan(boundingBoxArea(source));
    for (const kind of ['darker', 'lighter', 'flip', 'smaller'] as const) {
      expect(editSucceeded(kind, source, referenceEdit(kind, source))).toBe(true);
    }
  });
});
