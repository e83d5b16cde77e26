import { invalidLogitError, noFiniteCandidateError, type TokenDraw } from './draw.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * Samples from softmax(logits) by inverse CDF with one uniform draw. The exponentials of the sum
 * pass are kept in a scratch buffer (grown once), so the CDF pass and log p of the drawn token
 * (`lastLogNormalizer`) cost no further exp.
 */
export class CategoricalDraw implements TokenDraw {
  readonly name = 'categorical';
  lastLogNormalizer = Number.NaN;
  private weights = new Float64Array(0);

  draw(logits: Float32Array, offset: number, count: number, rng: SeededRandom): number {
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      const value = logits[offset + i] as number;
      if (!(value < Infinity)) throw invalidLogitError(i, value);
      if (value > max) max = value;
    }
    if (max === -Infinity) throw noFiniteCandidateError(count);

    if (this.weights.length < count) this.weights = new Float64Array(count);
    const weights = this.weights;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const weight = Math.exp((logits[offset + i] as number) - max);
      weights[i] = weight;
      total += weight;
    }
    this.lastLogNormalizer = max + Math.log(total);

    const target = rng.next() * total;
    let mass = 0;
    let last = -1;
    for (let i = 0; i < count; i++) {
      // Blocked (-Infinity) tokens have weight 0 and are never chosen.
      const weight = weights[i] as number;
      if (weight === 0) continue;
      mass += weight;
      last = i;
      if (mass > target) return i;
    }
    // Rounding can leave the running sum a hair below the total: fall back to the last candidate.
    return last;
  }
}
