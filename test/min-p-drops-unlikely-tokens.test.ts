import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { EMPTY_PROCESSOR_CONTEXT } from '../src/core/sampling/logits-processor.ts';
import { MinPProcessor } from '../src/core/sampling/min-p-processor.ts';

const NEG = -Infinity;

function run(minP: number, values: number[]): number[] {
  const logits = new Float32Array(values);
  new MinPProcessor(minP).process(logits, 0, logits.length, EMPTY_PROCESSOR_CONTEXT);
  return Array.from(logits);
}

describe('MinPProcessor', () => {
  it('drops tokens whose probability is below minP times the top probability', () => {
    // probs 0.5, 0.3, 0.15, 0.05; minP 0.2 -> floor 0.1: the 0.05 token goes.
    const logits = [0.5, 0.3, 0.15, 0.05].map((q) => Math.fround(Math.log(q)));
    expect(run(0.2, logits)).toEqual([logits[0], logits[1], logits[2], NEG]);
    // minP 0.5 -> floor 0.25: only 0.5 and 0.3 stay.
    expect(run(0.5, logits)).toEqual([logits[0], logits[1], NEG, NEG]);
  });

  it('compares in logit space: p_i / p_max = exp(x_i - x_max)', () => {
    // exp(-1) ≈ 0.368, exp(-2) ≈ 0.135, exp(-3) ≈ 0.0498; minP 0.1 keeps the first three.
    expect(run(0.1, [5, 4, 3, 2])).toEqual([5, 4, 3, NEG]);
    expect(run(0.4, [5, 4, 3, 2])).toEqual([5, NEG, NEG, NEG]);
  });

  it('keeps everything at minP 0 and only the maxima at minP 1', () => {
    expect(run(0, [1, -50, NEG])).toEqual([1, -50, NEG]);
    expect(run(1, [2, 3, 3, 1])).toEqual([NEG, 3, 3, NEG]);
  });

  it('rejects minP outside [0, 1]', () => {
    expect(() => new MinPProcessor(-0.1)).toThrow(ConfigError);
    expect(() => new MinPProcessor(1.1)).toThrow(ConfigError);
  });
});
