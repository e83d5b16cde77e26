import { describe, expect, it } from 'vitest';
import { codes, decode, imageRequest, segmentTokens, targetImageModel, withPlugins } from './support/plugin-fakes.ts';

/**
 * Each image position favours its target code by a logit s over 15 zeros, so the drawn (argmax)
 * token has p = e^s / (e^s + 15):
 *   s = 8 -> 0.9951   s = 3 -> 0.5724   s = 2 -> 0.3300   s = 1 -> 0.1534   s = 0.5 -> 0.0990
 */
const TARGET = [7, 3, 11, 0, 5, 9, 14, 2, 6];
const STRENGTH = [8, 1, 8, 3, 8, 2, 0.5, 8, 8];
const model = () => targetImageModel(TARGET, (i) => STRENGTH[i] as number);

describe('threshold commits every confident position', () => {
  it('τ 0.9: the five positions above τ at once, then one per step, most confident first', async () => {
    const parts = await withPlugins('threshold');
    const { result, events } = await decode(parts, model(), imageRequest({ scheduler: 'threshold' }));
    expect(events.map((event) => event.committed[0])).toEqual([[0, 2, 4, 7, 8], [3], [5], [1], [6]]);
    expect(codes(segmentTokens(result))).toEqual(TARGET);
  });

  it('τ 0.3 also takes p 0.57 and 0.33 in the first step', async () => {
    const parts = await withPlugins('threshold');
    const { events } = await decode(parts, model(), imageRequest({ scheduler: 'threshold', options: { threshold: 0.3 } }));
    expect(events.map((event) => event.committed[0])).toEqual([[0, 2, 3, 4, 5, 7, 8], [1], [6]]);
  });

  it('maxSteps 2 commits everything left at the second step', async () => {
    const parts = await withPlugins('threshold');
    const { result, events } = await decode(parts, model(), imageRequest({ scheduler: 'threshold', options: { maxSteps: 2 } }));
    expect(events.map((event) => event.committed[0])).toEqual([[0, 2, 4, 7, 8], [1, 3, 5, 6]]);
    expect(codes(segmentTokens(result))).toEqual(TARGET);
  });

  it('measures confidence after classifier-free guidance', async () => {
    // Conditional logit 3 (p 0.57) and unconditional 0: show-o CFG with w = 1 gives 2·3 − 0 = 6, p = 0.9641.
    const parts = await withPlugins('threshold');
    const guided = targetImageModel(TARGET, () => 3, () => 0);
    const unguided = await decode(parts, guided, imageRequest({ scheduler: 'threshold' }));
    expect(unguided.events.map((event) => event.committed[0]?.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const { result, events } = await decode(parts, guided, imageRequest({ scheduler: 'threshold', unconditional: true, options: { guidance: 1 } }));
    expect(events.map((event) => event.committed[0])).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(codes(segmentTokens(result))).toEqual(TARGET);
  });
});
