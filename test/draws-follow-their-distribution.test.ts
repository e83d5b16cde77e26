import { describe, expect, it } from 'vitest';
import { OmnidecodeError } from '../src/core/errors.ts';
import { CategoricalDraw } from '../src/core/sampling/categorical-draw.ts';
import type { TokenDraw } from '../src/core/sampling/draw.ts';
import { GreedyDraw } from '../src/core/sampling/greedy-draw.ts';
import { GumbelMaxDraw } from '../src/core/sampling/gumbel-max-draw.ts';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';

const NEG = -Infinity;

function softmax(values: number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => (v === NEG ? 0 : Math.exp(v - max)));
  const total = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / total);
}

function frequencies(draw: TokenDraw, values: number[], n: number, seed: string): number[] {
  // Logits sit at offset 3 of a larger buffer, to exercise slice indexing.
  const data = new Float32Array(3 + values.length + 2).fill(99);
  data.set(values, 3);
  const rng = new SeededRandom(seed);
  const counts = new Array<number>(values.length).fill(0);
  for (let i = 0; i < n; i++) {
    const column = draw.draw(data, 3, values.length, rng);
    counts[column] = (counts[column] as number) + 1;
  }
  return counts.map((c) => c / n);
}

describe('token draws', () => {
  it('greedy returns the argmax, first index on ties, skipping blocked tokens', () => {
    const greedy = new GreedyDraw();
    const rng = new SeededRandom(0);
    expect(greedy.draw(new Float32Array([0.1, 2, -3, 1.5]), 0, 4, rng)).toBe(1);
    expect(greedy.draw(new Float32Array([1, 3, 3, 2]), 0, 4, rng)).toBe(1);
    expect(greedy.draw(new Float32Array([NEG, -7, NEG]), 0, 3, rng)).toBe(1);
    expect(greedy.draw(new Float32Array([100, 1, 2, 100]), 1, 2, rng)).toBe(1);
  });

  const values = [1, 0, NEG, 2, -1, 0.5];
  const expected = softmax(values);

  for (const draw of [new CategoricalDraw(), new GumbelMaxDraw()]) {
    it(`${draw.name} frequencies over 20k draws match softmax probabilities`, () => {
      const observed = frequencies(draw, values, 20_000, `freq-${draw.name}`);
      expect(observed[2]).toBe(0);
      for (let i = 0; i < values.length; i++) {
        // Binomial sd at n = 20k is at most 0.0036; allow ~3 sd.
        expect(Math.abs((observed[i] as number) - (expected[i] as number))).toBeLessThan(0.012);
      }
    });

    it(`${draw.name} gives the same sequence for the same seed`, () => {
      const data = new Float32Array([0.3, 0.1, 0.2, 0.25, NEG, 0.15]);
      const sequence = (seed: number): number[] => {
        const rng = new SeededRandom(seed);
        return Array.from({ length: 200 }, () => draw.draw(data, 0, data.length, rng));
      };
      expect(sequence(5)).toEqual(sequence(5));
      expect(sequence(5)).not.toEqual(sequence(6));
    });

    it(`${draw.name} always picks the only finite candidate`, () => {
      const data = new Float32Array([NEG, NEG, -1e30, NEG]);
      const rng = new SeededRandom(1);
      for (let i = 0; i < 50; i++) expect(draw.draw(data, 0, 4, rng)).toBe(2);
    });
  }

  it('the hand-computed softmax reference is right', () => {
    // exp(1-2)=0.36788, exp(-2)=0.13534, exp(0)=1, exp(-3)=0.04979, exp(-1.5)=0.22313; total 1.77614
    expect(expected[0]).toBeCloseTo(0.36788 / 1.77614, 4);
    expect(expected[3]).toBeCloseTo(1 / 1.77614, 4);
    expect(expected[5]).toBeCloseTo(0.22313 / 1.77614, 4);
  });

  for (const draw of [new GreedyDraw(), new CategoricalDraw(), new GumbelMaxDraw()]) {
    it(`${draw.name} throws OmnidecodeError when nothing is finite or a NaN is met`, () => {
      const rng = new SeededRandom(3);
      expect(() => draw.draw(new Float32Array([NEG, NEG]), 0, 2, rng)).toThrow(OmnidecodeError);
      expect(() => draw.draw(new Float32Array([NEG, NEG]), 0, 2, rng)).toThrow(/at least one finite candidate/);
      expect(() => draw.draw(new Float32Array([1, Number.NaN]), 0, 2, rng)).toThrow(OmnidecodeError);
      expect(() => draw.draw(new Float32Array([1, Infinity]), 0, 2, rng)).toThrow(OmnidecodeError);
      expect(() => draw.draw(new Float32Array(0), 0, 0, rng)).toThrow(OmnidecodeError);
    });
  }
});
