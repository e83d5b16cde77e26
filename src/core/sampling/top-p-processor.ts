import { ConfigError } from '../errors.ts';
import type { LogitsProcessor, ProcessorContext } from './logits-processor.ts';

/**
 * Nucleus filtering: keeps the smallest set of highest-probability tokens whose probability mass
 * reaches p, and blocks the rest. Tokens tied with the last one needed are kept too, so the result
 * is a logit threshold and does not depend on sort order.
 */
export class TopPProcessor implements LogitsProcessor {
  readonly name = 'top-p';
  readonly p: number;
  private scratch = new Float32Array(0);

  constructor(p: number) {
    if (!Number.isFinite(p) || p <= 0 || p > 1) throw new ConfigError('top-p.p', p, 'a number > 0 and <= 1');
    this.p = p;
  }

  process(logits: Float32Array, offset: number, count: number, _context: ProcessorContext): void {
    // p = 1 keeps every finite token; skip the work (and any rounding that could drop a tail token).
    if (this.p >= 1) return;
    const end = offset + count;

    let max = -Infinity;
    let finite = 0;
    for (let i = offset; i < end; i++) {
      const value = logits[i] as number;
      if (value > -Infinity && value < Infinity) {
        finite++;
        if (value > max) max = value;
      }
    }
    if (finite <= 1) return;
    let total = 0;
    for (let i = offset; i < end; i++) total += Math.exp((logits[i] as number) - max);

    // Tokens with probability below tau = (1 - p) / (2n) hold less than (1 - p) / 2 of the mass
    // together, so the nucleus lies among the rest: only those need sorting. On peaked rows this
    // leaves a handful of candidates out of the whole vocabulary.
    const cutoff = max + Math.log(((1 - this.p) * total) / (2 * finite));
    if (this.scratch.length < count) this.scratch = new Float32Array(count);
    let candidates = 0;
    for (let i = offset; i < end; i++) {
      const value = logits[i] as number;
      if (value >= cutoff && value < Infinity) this.scratch[candidates++] = value;
    }
    // Native numeric sort (no comparator): ascending, so walk it from the end.
    const sorted = this.scratch.subarray(0, candidates).sort();

    const target = this.p * total;
    // If rounding keeps the walk short of the target, keep everything rather than guess.
    let threshold = -Infinity;
    let mass = 0;
    for (let n = candidates - 1; n >= 0; n--) {
      const value = sorted[n] as number;
      mass += Math.exp(value - max);
      if (mass >= target) {
        threshold = value;
        break;
      }
    }
    for (let i = offset; i < end; i++) {
      if (!((logits[i] as number) >= threshold)) logits[i] = -Infinity;
    }
  }
}
