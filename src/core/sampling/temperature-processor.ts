import { ConfigError } from '../errors.ts';
import type { LogitsProcessor, ProcessorContext } from './logits-processor.ts';

/** Divides logits by T: T < 1 sharpens the distribution, T > 1 flattens it. */
export class TemperatureProcessor implements LogitsProcessor {
  readonly name = 'temperature';
  readonly temperature: number;

  constructor(temperature: number) {
    if (!Number.isFinite(temperature) || temperature <= 0) {
      throw new ConfigError('temperature', temperature, 'a finite number > 0');
    }
    this.temperature = temperature;
  }

  process(logits: Float32Array, offset: number, count: number, _context: ProcessorContext): void {
    const t = this.temperature;
    const end = offset + count;
    for (let i = offset; i < end; i++) logits[i] = (logits[i] as number) / t;
  }
}
