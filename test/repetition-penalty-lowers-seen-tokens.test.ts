import { describe, expect, it } from 'vitest';
import type { ProcessorContext } from '../src/core/sampling/logits-processor.ts';
import { RepetitionPenaltyProcessor } from '../src/core/sampling/repetition-penalty-processor.ts';

function context(ids: number[], columnOffset = 0, extraCapacity = 0): ProcessorContext {
  const history = new Int32Array(ids.length + extraCapacity).fill(0);
  history.set(ids);
  return { history, historyLength: ids.length, columnOffset };
}

describe('RepetitionPenaltyProcessor', () => {
  it('divides positive and multiplies non-positive logits of seen tokens, once each', () => {
    const logits = new Float32Array([4, -2, 1, 0, 3]);
    // Token 0 appears three times: still penalised once.
    new RepetitionPenaltyProcessor(2).process(logits, 0, 5, context([0, 1, 0, 3, 0]));
    expect(Array.from(logits)).toEqual([2, -4, 1, 0, 3]);
  });

  it('maps full-vocabulary ids through columnOffset and skips ids outside the slice', () => {
    // The slice covers ids 100..103; ids 5 and 104 are outside it.
    const logits = new Float32Array([1, 2, -3, 4]);
    new RepetitionPenaltyProcessor(1.25).process(logits, 0, 4, context([5, 101, 102, 104], 100));
    expect(Array.from(logits)).toEqual([1, 1.600000023841858, -3.75, 4]);
  });

  it('reads only historyLength entries of a larger history buffer', () => {
    const logits = new Float32Array([2, 2, 2]);
    // The buffer's tail holds zeros that must not count as token 0.
    new RepetitionPenaltyProcessor(2).process(logits, 0, 3, context([2], 0, 4));
    expect(Array.from(logits)).toEqual([2, 2, 1]);
  });

  it('penalises again on every call (fresh dedup per call)', () => {
    const processor = new RepetitionPenaltyProcessor(2);
    const logits = new Float32Array([8, 8]);
    processor.process(logits, 0, 2, context([1]));
    processor.process(logits, 0, 2, context([1, 1]));
    expect(Array.from(logits)).toEqual([8, 2]);
  });
});
