import { describe, expect, it } from 'vitest';
import { builtInLogitsProcessors } from '../src/core/sampling/built-in-logits-processors.ts';
import { applyClassifierFreeGuidance } from '../src/core/sampling/classifier-free-guidance.ts';
import { findNonFinite } from '../src/core/sampling/finite-check.ts';
import type { LogitsProcessor, ProcessorContext } from '../src/core/sampling/logits-processor.ts';
import { LogitsProcessorChain } from '../src/core/sampling/logits-processor-chain.ts';
import { logSumExp } from '../src/core/sampling/log-softmax.ts';
import { MinPProcessor } from '../src/core/sampling/min-p-processor.ts';
import { RepetitionPenaltyProcessor } from '../src/core/sampling/repetition-penalty-processor.ts';
import { Sampler } from '../src/core/sampling/sampler.ts';
import { SeededRandom } from '../src/core/sampling/seeded-random.ts';
import { TemperatureProcessor } from '../src/core/sampling/temperature-processor.ts';
import { TopKProcessor } from '../src/core/sampling/top-k-processor.ts';
import { TopPProcessor } from '../src/core/sampling/top-p-processor.ts';

const NEG = -Infinity;

/** A buffer of 3 rows of width 8; processors act on the middle row only. */
function threeRows(): Float32Array {
  const rng = new SeededRandom('slices');
  return Float32Array.from({ length: 24 }, () => Math.round((rng.next() - 0.5) * 200) / 10);
}

describe('processors work in place on slices', () => {
  const context: ProcessorContext = { history: new Int32Array([8, 10, 3, 20]), historyLength: 4, columnOffset: 8 };
  const processors: LogitsProcessor[] = [
    new TemperatureProcessor(0.5),
    new TopKProcessor(3),
    new TopPProcessor(0.5),
    new MinPProcessor(0.3),
    new RepetitionPenaltyProcessor(1.5),
    new LogitsProcessorChain([new RepetitionPenaltyProcessor(1.3), new TemperatureProcessor(2), new TopKProcessor(5)]),
  ];

  for (const processor of processors) {
    it(`${processor.name} changes only data[8 .. 16) and matches the same processing at offset 0`, () => {
      const data = threeRows();
      const before = data.slice();
      processor.process(data, 8, 8, context);
      expect(Array.from(data.subarray(0, 8))).toEqual(Array.from(before.subarray(0, 8)));
      expect(Array.from(data.subarray(16))).toEqual(Array.from(before.subarray(16)));
      expect(Array.from(data.subarray(8, 16))).not.toEqual(Array.from(before.subarray(8, 16)));

      const alone = before.slice(8, 16);
      processor.process(alone, 0, 8, context);
      expect(Array.from(data.subarray(8, 16))).toEqual(Array.from(alone));
    });
  }

  it('repetition penalty touches the columns of history ids 8 and 10 only (columnOffset 8)', () => {
    const data = new Float32Array([9, 9, 9, 9, 2, 2, -2, 2, 9, 9]);
    new RepetitionPenaltyProcessor(2).process(data, 4, 4, context);
    expect(Array.from(data)).toEqual([9, 9, 9, 9, 1, 2, -4, 2, 9, 9]);
  });

  it('every built-in definition creates a processor that stays inside its slice', () => {
    for (const definition of builtInLogitsProcessors) {
      const processor = definition.create(definition.parameters.parse({}, definition.name));
      expect(processor.name).toBe(definition.name);
      const data = threeRows();
      const before = data.slice();
      processor.process(data, 8, 8, context);
      expect(Array.from(data.subarray(0, 8))).toEqual(Array.from(before.subarray(0, 8)));
      expect(Array.from(data.subarray(16))).toEqual(Array.from(before.subarray(16)));
    }
  });

  it('classifier-free guidance writes only the cond slice', () => {
    const data = threeRows();
    const before = data.slice();
    applyClassifierFreeGuidance(data, 8, 16, 8, 2, 'show-o');
    expect(Array.from(data.subarray(0, 8))).toEqual(Array.from(before.subarray(0, 8)));
    expect(Array.from(data.subarray(16))).toEqual(Array.from(before.subarray(16)));
  });

  it('the sampler returns a column within the slice and leaves the rest alone', () => {
    const data = threeRows();
    const before = data.slice();
    const sampler = new Sampler({ temperature: 0.8, topK: 4, topP: null, minP: null, repetitionPenalty: null, draw: 'categorical' });
    const column = sampler.sample(data, 8, 8, new SeededRandom(1), context);
    expect(column).toBeGreaterThanOrEqual(0);
    expect(column).toBeLessThan(8);
    expect(data[8 + column]).not.toBe(NEG);
    expect(Array.from(data.subarray(0, 8))).toEqual(Array.from(before.subarray(0, 8)));
    expect(Array.from(data.subarray(16))).toEqual(Array.from(before.subarray(16)));
  });

  it('findNonFinite and logSumExp read only their slice', () => {
    const data = new Float32Array([Number.NaN, 0, Math.log(3), NEG, Infinity]);
    expect(findNonFinite(data, 1, 2)).toBe(-1);
    expect(findNonFinite(data, 1, 3)).toBe(2);
    expect(findNonFinite(data, 0, 5)).toBe(0);
    // log(e^0 + 3 + 0) = log 4
    expect(logSumExp(data, 1, 3)).toBeCloseTo(Math.log(4), 6);
    expect(logSumExp(new Float32Array([1000, 1000]), 0, 2)).toBeCloseTo(1000 + Math.LN2, 4);
    expect(logSumExp(new Float32Array([NEG, NEG]), 0, 2)).toBe(NEG);
  });
});
