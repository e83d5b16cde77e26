import { ConfigError } from '../errors.ts';
import type { LogitsProcessor, ProcessorContext } from './logits-processor.ts';

/**
 * Blocks tokens whose probability is below minP times the top token's probability. Since
 * p_i / p_max = exp(x_i - x_max), that is x_i < x_max + log(minP): no softmax is needed.
 */
export class MinPProcessor implements LogitsProcessor {
  readonly name = 'min-p';
  readonly minP: number;

  constructor(minP: number) {
    if (!Number.isFinite(minP) || minP < 0 || minP > 1) throw new ConfigError('min-p.minP', minP, 'a number >= 0 and <= 1');
    this.minP = minP;
  }

  process(logits: Float32Array, offset: number, count: number, _context: ProcessorContext): void {
    if (this.minP === 0) return;
    const end = offset + count;
    let max = -Infinity;
    for (let i = offset; i < end; i++) {
      const value = logits[i] as number;
      if (value > max) max = value;
    }
    if (!Number.isFinite(max)) return;
    const threshold = max + Math.log(this.minP);
    for (let i = offset; i < end; i++) {
      if ((logits[i] as number) < threshold) logits[i] = -Infinity;
    }
  }
}
