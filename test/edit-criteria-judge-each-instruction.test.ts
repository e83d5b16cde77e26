import { describe, expect, it } from 'vitest';
import { boundingBoxArea, editKind, editSucceeded, mirrorSymmetry } from '../src/evaluation/edit-criteria.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';

function image(width: number, height: number, fill: (x: number, y: number) => number): GrayImage {
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = fill(x, y);
  return { width, height, pixels };
}

// An asymmetric "L": a bright left column and a bottom bar.
const source = image(8, 8, (x, y) => (x === 1 || y === 6 ? 0.8 : 0));

describe('edit success criteria', () => {
  it('maps instructions to what can be measured', () => {
    expect(editKind('make it darker')).toBe('darker');
    expect(editKind('make it lighter')).toBe('lighter');
    expect(editKind('flip it')).toBe('flip');
    expect(editKind('make it smaller')).toBe('smaller');
    expect(editKind('make it blue')).toBeNull();
  });

  it('darker and lighter need the mean to move by the margin', () => {
    expect(editSucceeded('darker', source, image(8, 8, (x, y) => (source.pixels[y * 8 + x] as number) * 0.5))).toBe(true);
    expect(editSucceeded('darker', source, image(8, 8, (x, y) => (source.pixels[y * 8 + x] as number) * 0.9))).toBe(false);
    expect(editSucceeded('lighter', source, image(8, 8, (x, y) => Math.min(1, (source.pixels[y * 8 + x] as number) * 1.2)))).toBe(true);
    expect(editSucceeded('lighter', source, source)).toBe(false);
  });

  it('flip needs a better correlation with the mirrored source', () => {
    const mirrored = image(8, 8, (x, y) => source.pixels[y * 8 + (7 - x)] as number);
    expect(editSucceeded('flip', source, mirrored)).toBe(true);
    expect(editSucceeded('flip', source, source)).toBe(false);
    expect(mirrorSymmetry(source)).toBeLessThan(0.9);
    expect(mirrorSymmetry(image(8, 8, (x) => (x === 2 || x === 5 ? 1 : 0)))).toBeCloseTo(1, 6);
  });

  it('smaller needs the bounding box to shrink', () => {
    expect(boundingBoxArea(source)).toBe(8 * 8);
    const smaller = image(8, 8, (x, y) => (x >= 2 && x <= 4 && y >= 2 && y <= 4 ? 1 : 0));
    expect(editSucceeded('smaller', source, smaller)).toBe(true);
    expect(editSucceeded('smaller', source, source)).toBe(false);
  });
});
