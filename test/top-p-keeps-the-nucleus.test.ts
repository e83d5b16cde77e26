import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { EMPTY_PROCESSOR_CONTEXT } from '../src/core/sampling/logits-processor.ts';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';
import { TopPProcessor } from '../src/core/sampling/top-p-processor.ts';

const NEG = -Infinity;

function run(p: number, values: number[]): number[] {
  const logits = new Float32Array(values);
  new TopPProcessor(p).process(logits, 0, logits.length, EMPTY_PROCESSOR_CONTEXT);
  return Array.from(logits);
}

/** Logits whose softmax is exactly the given probabilities. */
function logitsOf(probs: number[]): number[] {
  return probs.map((q) => Math.fround(Math.log(q)));
}

describe('TopPProcessor', () => {
  it('keeps the smallest most-likely set whose mass reaches p', () => {
    // probs 0.5, 0.3, 0.15, 0.05 (in shuffled order).
    const logits = logitsOf([0.15, 0.5, 0.05, 0.3]);
    const [a, b, c, d] = logits as [number, number, number, number];
    expect(run(0.4, logits)).toEqual([NEG, b, NEG, NEG]); // 0.5 >= 0.4
    expect(run(0.6, logits)).toEqual([NEG, b, NEG, d]); // 0.5 + 0.3 = 0.8 >= 0.6
    expect(run(0.85, logits)).toEqual([a, b, NEG, d]); // 0.95 >= 0.85
    expect(run(0.97, logits)).toEqual([a, b, c, d]);
    expect(run(1, logits)).toEqual([a, b, c, d]);
  });

  it('normalises over finite tokens only and keeps blocked tokens blocked', () => {
    // Finite probs renormalise to 0.6, 0.4: p = 0.5 keeps only the first.
    const logits = [Math.log(0.6), NEG, Math.log(0.4), NEG].map(Math.fround);
    expect(run(0.5, logits)).toEqual([logits[0], NEG, NEG, NEG]);
    expect(run(0.7, logits)).toEqual([logits[0], NEG, logits[2], NEG]);
  });

  it('keeps tokens tied with the last one needed', () => {
    // probs 0.4, 0.2, 0.2, 0.2: p = 0.5 needs one 0.2 token, ties keep all three.
    const logits = logitsOf([0.2, 0.4, 0.2, 0.2]);
    expect(run(0.5, logits)).toEqual(logits);
    expect(run(0.3, logits)).toEqual([NEG, logits[1], NEG, NEG]);
  });

  it('is invariant to adding a constant to all logits (max-subtracted softmax)', () => {
    const base = [1000, 999, 998, 990];
    expect(run(0.7, base)).toEqual([1000, 999, NEG, NEG]);
    // softmax of [0,-1,-2,-10]: 0.6652, 0.2447, 0.0900, ...: 0.95 needs three (0.9099 < 0.95).
    expect(run(0.95, base)).toEqual([1000, 999, 998, NEG]);
  });

  it('matches a sort-based reference on random flat and peaked rows', () => {
    const rng = new SeededRandom('top-p');
    const flat = Float32Array.from({ length: 2048 }, () => (rng.next() - 0.5) * 12);
    // Wide spread: most tokens are negligible, which the processor prunes before sorting.
    const peaked = Float32Array.from({ length: 4096 }, () => (rng.next() - 0.5) * 40);
    for (const [row, p] of [flat, peaked].flatMap((r) => [0.1, 0.5, 0.9, 0.99].map((q) => [r, q] as const))) {
      const logits = row.slice();
      new TopPProcessor(p).process(logits, 0, logits.length, EMPTY_PROCESSOR_CONTEXT);
      const order = Array.from(row.keys()).sort((i, j) => (row[j] as number) - (row[i] as number));
      const exps = Array.from(row, (x) => Math.exp(x));
      const total = exps.reduce((s, e) => s + e, 0);
      const expected = new Set<number>();
      let mass = 0;
      for (const i of order) {
        expected.add(i);
        mass += (exps[i] as number) / total;
        if (mass >= p) break;
      }
      const kept = new Set<number>();
      logits.forEach((value, i) => { if (value !== NEG) kept.add(i); });
      expect(kept).toEqual(expected);
    }
  });

  it('rejects p outside (0, 1]', () => {
    expect(() => new TopPProcessor(0)).toThrow(ConfigError);
    expect(() => new TopPProcessor(1.5)).toThrow(ConfigError);
  });
});
