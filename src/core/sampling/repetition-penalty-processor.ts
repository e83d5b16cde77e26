import { ConfigError } from '../errors.ts';
import type { LogitsProcessor, ProcessorContext } from './logits-processor.ts';

/**
 * CTRL-style repetition penalty: each token id seen in the history has its logit divided by the
 * penalty when positive and multiplied by it when not, once however often the id was seen.
 */
export class RepetitionPenaltyProcessor implements LogitsProcessor {
  readonly name = 'repetition-penalty';
  readonly penalty: number;
  // Per-column stamp of the call that last penalised it: dedups history without clearing a buffer.
  private stamps = new Uint32Array(0);
  private generation = 0;

  constructor(penalty: number) {
    if (!Number.isFinite(penalty) || penalty <= 0) throw new ConfigError('repetition-penalty.penalty', penalty, 'a finite number > 0');
    this.penalty = penalty;
  }

  process(logits: Float32Array, offset: number, count: number, context: ProcessorContext): void {
    if (this.penalty === 1 || context.historyLength === 0) return;
    if (this.stamps.length < count) {
      this.stamps = new Uint32Array(count);
      this.generation = 0;
    }
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
    const stamps = this.stamps;
    const generation = this.generation;
    const penalty = this.penalty;
    const { history, historyLength, columnOffset } = context;
    for (let h = 0; h < historyLength; h++) {
      const column = (history[h] as number) - columnOffset;
      if (column < 0 || column >= count || stamps[column] === generation) continue;
      stamps[column] = generation;
      const value = logits[offset + column] as number;
      logits[offset + column] = value > 0 ? value / penalty : value * penalty;
    }
  }
}
