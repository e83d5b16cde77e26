import { OmnidecodeError } from '../errors.ts';
import type { SeededRandom } from './seeded-random.ts';

export type TokenDrawName = 'greedy' | 'categorical' | 'gumbel-max';

/**
 * Picks one token from a (processed) logits slice. -Infinity marks blocked tokens and is never
 * chosen; NaN or +Infinity, or a slice with no finite value, throws OmnidecodeError.
 */
export interface TokenDraw {
  readonly name: TokenDrawName;
  /** Returns the column index within the slice (0 .. count - 1). */
  draw(logits: Float32Array, offset: number, count: number, rng: SeededRandom): number;
  /**
   * log Σ exp over the slice of the last draw, when the draw computed it anyway (categorical);
   * NaN otherwise. Lets a scheduler get log p of the drawn token without another pass.
   */
  readonly lastLogNormalizer: number;
}

/** The error for a slice where every candidate is blocked. */
export function noFiniteCandidateError(count: number): OmnidecodeError {
  return new OmnidecodeError('logits', `${count} candidates, none finite`, 'at least one finite candidate');
}

/** The error for NaN or +Infinity met while drawing: a model or processor bug, not a mask. */
export function invalidLogitError(column: number, value: number): OmnidecodeError {
  return new OmnidecodeError('logits', value, 'finite logits or -Infinity for blocked tokens',
    `logits: got ${value} at column ${column}, expected finite logits or -Infinity for blocked tokens`);
}
