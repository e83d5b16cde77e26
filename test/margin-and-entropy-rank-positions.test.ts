import { describe, expect, it } from 'vitest';
import { IMAGE_START, P, codes, decode, imageRequest, segmentTokens, LogitsModel, withPlugins } from './support/plugin-fakes.ts';

/**
 * Six positions, each with its own fixed distribution over the 16 codes (unlisted logits 0):
 *   position  logits                      top1 − top2   entropy (nats)
 *   0         flat                        0             2.7726
 *   1         code 0: 2                   0.2854        2.4485
 *   2         code 0: 10, code 1: 9.9     0.0499        0.6956
 *   3         code 0: 8                   0.9947        0.0451
 *   4         codes 0, 1: 10, code 2: 9.9 0             1.0998
 *   5         code 0: 5                   0.9021        0.5552
 * Margin ranks 3, 5, 1, 2, then the ties 0, 4 left to right; entropy ranks 3, 5, 2, 4, 1, 0.
 */
const LOGITS: readonly (readonly [number, number][])[] = [
  [], [[0, 2]], [[0, 10], [1, 9.9]], [[0, 8]], [[0, 10], [1, 10], [2, 9.9]], [[0, 5]],
];
const model = () => new LogitsModel((query, out) => {
  for (const [code, logit] of LOGITS[query.position - IMAGE_START] ?? []) out[P.imageOffset + code] = logit;
});

/**
 * The schedule "1 - t", not the name "linear": named schedules count in float32 as Show-o does, and
 * there 6 · (1 − fround(1/3)) = 3.9999998 keeps 3 masked, not 4, so the even split these rankings
 * are read against (one per step at 6 steps; 2, 2, 2 at 3) would not hold. An expression is
 * evaluated in double and rounded once: 6 · fround(2/3) = 4.0000001, 4 masked.
 */
async function commitOrder(scheduler: string, steps: number): Promise<{ order: (readonly number[] | undefined)[]; tokens: number[] }> {
  const parts = await withPlugins('confidence-selection');
  const request = imageRequest({ scheduler, length: 6, options: { steps, schedule: '1 - t', maskCount: 'unknown' } });
  const { result, events } = await decode(parts, model(), request);
  return { order: events.map((event) => event.committed[0]), tokens: codes(segmentTokens(result)) };
}

describe('margin and entropy rank positions', () => {
  it('margin commits the widest top1 − top2 gap first, one per step', async () => {
    const { order, tokens } = await commitOrder('margin', 6);
    expect(order).toEqual([[3], [5], [1], [2], [0], [4]]);
    // Greedy draws: the argmax code, the first one on ties.
    expect(tokens).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('entropy commits the most peaked distribution first, one per step', async () => {
    const { order } = await commitOrder('entropy', 6);
    expect(order).toEqual([[3], [5], [2], [4], [1], [0]]);
  });

  it('commits the schedule\'s count per step (linear, 3 steps: 2, 2, 2), best-ranked first', async () => {
    expect((await commitOrder('margin', 3)).order).toEqual([[3, 5], [1, 2], [0, 4]]);
    expect((await commitOrder('entropy', 3)).order).toEqual([[3, 5], [2, 4], [0, 1]]);
  });

  it('draws with the configured sampler: categorical at position 4 (logits 10, 10, 9.9) yields each of its three codes over seeds', async () => {
    const parts = await withPlugins('confidence-selection');
    const request = imageRequest({ scheduler: 'margin', length: 6, options: { steps: 1, sampler: { draw: 'categorical' } } });
    const drawnAtTie = new Set<number>();
    for (let seed = 0; seed < 16; seed++) drawnAtTie.add(codes(segmentTokens((await decode(parts, model(), request, seed)).result))[4] as number);
    expect([...drawnAtTie].sort()).toEqual([0, 1, 2]);
  });
});
