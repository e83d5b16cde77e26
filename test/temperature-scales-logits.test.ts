import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { EMPTY_PROCESSOR_CONTEXT } from '../src/core/sampling/logits-processor.ts';
import { TemperatureProcessor } from '../src/core/sampling/temperature-processor.ts';

describe('TemperatureProcessor', () => {
  it('divides every logit by T and leaves -Infinity blocked', () => {
    const logits = new Float32Array([2, -1, 0, 5, -Infinity]);
    new TemperatureProcessor(0.5).process(logits, 0, logits.length, EMPTY_PROCESSOR_CONTEXT);
    expect(Array.from(logits)).toEqual([4, -2, 0, 10, -Infinity]);

    const flat = new Float32Array([3, -6]);
    new TemperatureProcessor(3).process(flat, 0, 2, EMPTY_PROCESSOR_CONTEXT);
    expect(Array.from(flat)).toEqual([1, -2]);
  });

  it('rejects T <= 0 and non-finite T', () => {
    expect(() => new TemperatureProcessor(0)).toThrow(ConfigError);
    expect(() => new TemperatureProcessor(-1)).toThrow(ConfigError);
    expect(() => new TemperatureProcessor(Number.NaN)).toThrow(ConfigError);
  });
});
