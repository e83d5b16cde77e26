import { invalidLogitError, noFiniteCandidateError, type TokenDraw } from './draw.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * Gumbel-max trick: argmax of logit + Gumbel noise is an exact sample from softmax(logits).
 * Blocked (-Infinity) tokens draw no noise, so they are never chosen and cost no randomness.
 */
export class GumbelMaxDraw implements TokenDraw {
  readonly name = 'gumbel-max';
  readonly lastLogNormalizer = Number.NaN;

  draw(logits: Float32Array, offset: number, count: number, rng: SeededRandom): number {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < count; i++) {
      const value = logits[offset + i] as number;
      if (!(value < Infinity)) throw invalidLogitError(i, value);
      if (value === -Infinity) continue;
      const score = value + rng.gumbel();
      if (best < 0 || score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) throw noFiniteCandidateError(count);
    return best;
  }
}
