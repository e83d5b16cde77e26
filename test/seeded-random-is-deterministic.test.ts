import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';

function take(rng: SeededRandom, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('SeededRandom', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = take(new SeededRandom(42), 100);
    const b = take(new SeededRandom(42), 100);
    const c = take(new SeededRandom(43), 100);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // A numeric seed and its string form are the same seed.
    expect(take(new SeededRandom('42'), 100)).toEqual(a);
    for (const u of a) {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it('keeps nextOpen in (0, 1) and gumbel equal to -log(-log(u)) of the same stream', () => {
    const opens = new SeededRandom('open');
    const uniforms = new SeededRandom('open');
    for (let i = 0; i < 1000; i++) {
      const u = opens.nextOpen();
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1);
      expect(u).toBe(uniforms.nextOpen());
    }
    const g = new SeededRandom(7);
    const reference = new SeededRandom(7);
    for (let i = 0; i < 100; i++) {
      expect(g.gumbel()).toBeCloseTo(-Math.log(-Math.log(reference.nextOpen())), 12);
    }
  });

  it('forks deterministic streams that do not depend on the parent position and differ by label', () => {
    const parent = new SeededRandom(1);
    const early = take(parent.fork('noise'), 50);
    take(parent, 1000);
    const late = take(parent.fork('noise'), 50);
    expect(late).toEqual(early);
    expect(take(new SeededRandom(1).fork('noise'), 50)).toEqual(early);
    expect(take(parent.fork('other'), 50)).not.toEqual(early);
    expect(early).not.toEqual(take(new SeededRandom(1), 50));
    expect(take(new SeededRandom(2).fork('noise'), 50)).not.toEqual(early);
  });

  it('gives roughly uniform values (mean ≈ 0.5, variance ≈ 1/12)', () => {
    const rng = new SeededRandom('moments');
    const n = 100_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      sum += u;
      squares += u * u;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(squares / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });
});
