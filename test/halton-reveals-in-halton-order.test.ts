import { describe, expect, it } from 'vitest';
import { P, TEXT_START, codes, decode, imageRequest, segmentTokens, targetImageModel, textRequest, LogitsModel, withPlugins } from './support/plugin-fakes.ts';

/**
 * The 2D Halton points (radical inverse of i = 1, 2, ... in base 2 for the row, base 3 for the
 * column), worked out by hand on the 3×3 grid, first visit of each cell kept:
 *   i=1 (1/2, 1/3) -> (1,1) = 4     i=2 (1/4, 2/3) -> (0,2) = 2     i=3 (3/4, 1/9) -> (2,0) = 6
 *   i=4 (1/8, 4/9) -> (0,1) = 1     i=5 (5/8, 7/9) -> (1,2) = 5     i=6 (3/8, 2/9) -> (1,0) = 3
 *   i=7 (7/8, 5/9) -> (2,1) = 7     i=8..10 revisit 2, 3, 1          i=11 (13/16, 19/27) -> (2,2) = 8
 *   i=12 (3/16, 4/27) -> (0,0) = 0
 */
const HALTON_3X3 = [4, 2, 6, 1, 5, 3, 7, 8, 0];
const TARGET = [7, 3, 11, 0, 5, 9, 14, 2, 6];

describe('halton reveals in Halton order', () => {
  it('reveals one token per step in the Halton order of the 3x3 grid and draws the model\'s tokens', async () => {
    const parts = await withPlugins('halton');
    const { result, events } = await decode(parts, targetImageModel(TARGET), imageRequest({ scheduler: 'halton', options: { steps: 9, schedule: 'linear' } }));
    expect(events.map((event) => event.committed[0])).toEqual(HALTON_3X3.map((position) => [position]));
    expect(codes(segmentTokens(result))).toEqual(TARGET);
  });

  it('follows the arccos count schedule by default: 1, 2, 1, 5 of 9 tokens in 4 steps', async () => {
    // Revealed after step s: floor((1 − arccos(t)/(π/2)) · 9) for t = 1/4, 1/2, 3/4 -> 1, 3, 4; then all 9.
    const parts = await withPlugins('halton');
    const { events } = await decode(parts, targetImageModel(TARGET), imageRequest({ scheduler: 'halton', options: { steps: 4 } }));
    expect(events.map((event) => event.committed[0])).toEqual([[4], [2, 6], [1], [0, 3, 5, 7, 8]]);
  });

  it('never changes known tokens and leaves them out of the order', async () => {
    const parts = await withPlugins('halton');
    const known = [-1, -1, 12, -1, -1, -1, 13, -1, -1];
    const { result, events } = await decode(parts, targetImageModel(TARGET),
      imageRequest({ scheduler: 'halton', known, options: { steps: 7, schedule: 'linear' } }));
    expect(events.map((event) => event.committed[0])).toEqual([[4], [1], [5], [3], [7], [8], [0]]);
    expect(codes(segmentTokens(result))).toEqual([7, 3, 12, 0, 5, 9, 13, 2, 6]);
  });

  it('orders text by the base-2 van der Corput sequence: 1/2, 1/4, 3/4, 1/8, 7/8 of 5 positions', async () => {
    const parts = await withPlugins('halton');
    const model = new LogitsModel((query, out) => { out[P.word + query.position - TEXT_START] = 30; });
    const { result, events } = await decode(parts, model, textRequest('halton', 5, { steps: 5, schedule: 'linear' }));
    expect(events.map((event) => event.committed[0])).toEqual([[2], [1], [3], [0], [4]]);
    expect(segmentTokens(result)).toEqual([3, 4, 5, 6, 7]);
  });

  it('with roll, each row starts at its own random point of the same cyclic order', async () => {
    const parts = await withPlugins('halton');
    const request = imageRequest({ scheduler: 'halton', options: { steps: 9, schedule: 'linear', roll: true } });
    const { events } = await decode(parts, targetImageModel(TARGET), [request, request, request, request], 5);
    const rotations = new Set<number>();
    for (let row = 0; row < 4; row++) {
      const sequence = events.map((event) => (event.committed[row] ?? [])[0]);
      const start = HALTON_3X3.indexOf(sequence[0] as number);
      expect(sequence).toEqual([...HALTON_3X3.slice(start), ...HALTON_3X3.slice(0, start)]);
      rotations.add(start);
    }
    expect(rotations.size).toBeGreaterThan(1);
  });
});
