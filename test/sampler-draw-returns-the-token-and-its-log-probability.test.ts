import { describe, expect, it } from 'vitest';
import { Sampler } from '../src/core/sampling/sampler.ts';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';

const logSoftmax = (values: readonly number[], column: number): number => {
  const max = Math.max(...values);
  return (values[column] as number) - max - Math.log(values.reduce((sum, value) => sum + Math.exp(value - max), 0));
};

describe('Sampler.draw returns { column, logProb } and keeps nothing between draws', () => {
  it.each(['greedy', 'categorical', 'gumbel-max'] as const)('%s: log p is the drawn column\'s log-softmax under the processed slice', (draw) => {
    const sampler = new Sampler({ temperature: 2, topK: null, topP: null, minP: null, repetitionPenalty: null, draw });
    const raw = [0.5, 2, -1, 1.5, 0];
    const logits = Float32Array.from([9, 9, ...raw]);
    const out = sampler.draw(logits, 2, raw.length, new SeededRandom(3));
    // Temperature 2 halves the logits in place; log p is taken under that processed slice.
    expect(out.logProb).toBeCloseTo(logSoftmax(raw.map((value) => value / 2), out.column), 5);
    if (draw === 'greedy') expect(out.column).toBe(1);
  });

  it('a second draw on another slice gives that slice\'s log p, whatever the first draw was', () => {
    const sampler = new Sampler({ temperature: 1, topK: null, topP: null, minP: null, repetitionPenalty: null, draw: 'categorical' });
    const rng = new SeededRandom(1);
    sampler.draw(Float32Array.from([5, 0, 0]), 0, 3, rng);
    const second = sampler.draw(Float32Array.from([0, 0, 0, 0]), 0, 4, rng, undefined, { column: -1, logProb: 0 });
    expect(second.logProb).toBeCloseTo(Math.log(1 / 4), 6);
    expect(second.column).toBeGreaterThanOrEqual(0);
  });
});
