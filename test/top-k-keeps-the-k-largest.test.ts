import { describe, expect, it } from 'vitest';
import { EMPTY_PROCESSOR_CONTEXT } from '../src/core/sampling/logits-processor.ts';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';
import { TopKProcessor } from '../src/core/sampling/top-k-processor.ts';

const NEG = -Infinity;

function run(k: number, values: number[]): number[] {
  const logits = new Float32Array(values);
  new TopKProcessor(k).process(logits, 0, logits.length, EMPTY_PROCESSOR_CONTEXT);
  return Array.from(logits);
}

/** Independent reference: sort descending, threshold = k-th value, keep everything >= it. */
function sortReferenceKept(values: Float32Array, k: number): number[] {
  const sorted = Array.from(values).sort((a, b) => b - a);
  const threshold = sorted[Math.min(k, sorted.length) - 1] as number;
  const kept: number[] = [];
  values.forEach((value, i) => { if (value >= threshold) kept.push(i); });
  return kept;
}

describe('TopKProcessor', () => {
  it('keeps the k largest logits unchanged and blocks the rest', () => {
    expect(run(2, [1, 5, 3, 4, 2])).toEqual([NEG, 5, NEG, 4, NEG]);
    expect(run(1, [0.5, -2, 0.7, 0.1])).toEqual([NEG, NEG, 0.699999988079071, NEG]);
    expect(run(3, [-1, -3, -2, -4])).toEqual([-1, -3, -2, NEG]);
  });

  it('keeps every value tied with the k-th largest', () => {
    expect(run(2, [1, 3, 2, 2, 0])).toEqual([NEG, 3, 2, 2, NEG]);
    expect(run(1, [4, 4, 4])).toEqual([4, 4, 4]);
    expect(run(2, [7, 7, 1, 7])).toEqual([7, 7, NEG, 7]);
  });

  it('is a no-op when k >= count', () => {
    expect(run(5, [1, 2, 3, 4, 5])).toEqual([1, 2, 3, 4, 5]);
    expect(run(100, [3, NEG, 1])).toEqual([3, NEG, 1]);
  });

  it('counts already-blocked tokens among the candidates without unblocking any', () => {
    expect(run(2, [NEG, 1, NEG, 2, 0])).toEqual([NEG, 1, NEG, 2, NEG]);
    expect(run(3, [NEG, 1, NEG, NEG])).toEqual([NEG, 1, NEG, NEG]);
  });

  it('matches a sort-based reference on random 8192-wide rows, including sorted and tied rows', () => {
    const rng = new SeededRandom('top-k');
    // One instance per k, reused across rows: exercises scratch reuse.
    const processors = [1, 7, 50, 1000, 8191].map((k) => new TopKProcessor(k));
    const rows: Float32Array[] = [];
    for (let r = 0; r < 5; r++) {
      const row = new Float32Array(8192);
      for (let i = 0; i < row.length; i++) row[i] = (rng.next() - 0.5) * 20;
      rows.push(row);
    }
    rows.push(Float32Array.from({ length: 8192 }, (_, i) => i / 100)); // ascending
    rows.push(Float32Array.from({ length: 8192 }, (_, i) => -i / 100)); // descending
    rows.push(Float32Array.from({ length: 8192 }, () => Math.floor(rng.next() * 10))); // many ties
    for (const row of rows) {
      for (const processor of processors) {
        const logits = row.slice();
        processor.process(logits, 0, logits.length, EMPTY_PROCESSOR_CONTEXT);
        const kept: number[] = [];
        let changed = 0;
        logits.forEach((value, i) => {
          if (value === NEG) return;
          kept.push(i);
          if (value !== row[i]) changed++;
        });
        expect(changed).toBe(0);
        expect(kept).toEqual(sortReferenceKept(row, processor.k));
      }
    }
  });
});
