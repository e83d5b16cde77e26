import { invalidLogitError, noFiniteCandidateError, type TokenDraw } from './draw.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * Samples from softmax(logits) by inverse CDF with one uniform draw. The exponentials are
 * recomputed on the second pass rather than stored, so the draw needs no scratch buffer.
 */
export class CategoricalDraw implements TokenDraw {
  readonly name = 'categorical';

  draw(logits: Float32Array, offset: number, count: number, rng: SeededRandom): number {
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const value = logits[offset + i] as number;
      if (!(value < Infinity)) throw invalidLogitError(i, value);
      if (value > max) max = value;
    }
    if (max === -Infinity) throw noFiniteCandidateError(count);

    let total = 0;
    for (let i = 0; i < count; i++) total += Math.exp((logits[offset + i] as number) - max);

    const target = rng.next() * total;
    let mass = 0;
    let last = -1;
    for (let i = 0; i < count; i++) {
      const value = logits[offset + i] as number;
      if (value === -Infinity) continue;
      mass += Math.exp(value - max);
      last = i;
      if (mass > target) return i;
    }
    // Rounding can leave the running sum a hair below the total: fall back to the last candidate.
    return last;
  }
}
