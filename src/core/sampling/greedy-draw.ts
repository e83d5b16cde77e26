import { invalidLogitError, noFiniteCandidateError, type TokenDraw } from './draw.ts';
import type { SeededRandom } from './seeded-random.ts';

/** Argmax; the first index wins ties. Uses no randomness. */
export class GreedyDraw implements TokenDraw {
  readonly name = 'greedy';
  readonly lastLogNormalizer = Number.NaN;

  draw(logits: Float32Array, offset: number, count: number, _rng: SeededRandom): number {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < count; i++) {
      const value = logits[offset + i] as number;
      // True for NaN and +Infinity alike.
      if (!(value < Infinity)) throw invalidLogitError(i, value);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    if (best < 0) throw noFiniteCandidateError(count);
    return best;
  }
}
