import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { editChatPairs } from '../src/evaluation/edit-turns-evaluation.ts';
import { thrown } from './support/thrown.ts';

/**
 * `evaluate interleaved` runs its two-turn edit chats last; what they need is checked before the
 * first chat: two different instructions the edit criteria can judge, and eval images past the
 * held-out offset (none would make every figure 0 / 0).
 */
describe('the interleaved evaluation\'s edit chats', () => {
  it('pair every judged instruction with every other, the second as "now …"', () => {
    expect(editChatPairs(['make it darker', 'say hello', 'flip it'], 1000, 700)).toEqual([
      ['make it darker', 'now flip it'], ['flip it', 'now make it darker'],
    ]);
  });

  it('are refused when fewer than two different instructions can be judged', () => {
    for (const instructions of [[], ['say hello', 'make it darker'], ['make it darker', 'make it darker']]) {
      const error = thrown(ModelFileError, () => editChatPairs(instructions, 1000, 700));
      expect(error.what).toBe('prompts.editInstructions');
      expect(error.message).toMatch(/need two different ones \(darker, lighter, flip\/mirror, smaller\)/u);
    }
  });

  it('are refused when the eval set holds no image past the offset', () => {
    const error = thrown(ModelFileError, () => editChatPairs(['make it darker', 'flip it'], 700, 700));
    expect(error.what).toBe('evaluation set');
    expect(error.message).toBe('the evaluation set holds 700 images; the edit chats take their sources after the first 700 (held out from the other evaluations)');
  });
});
