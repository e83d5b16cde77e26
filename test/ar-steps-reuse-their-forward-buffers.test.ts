import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { ForwardInput, ForwardOutput, Transformer } from '../src/core/transformer.ts';
import { scriptedTextModel } from './support/fake-models.ts';
import { T, textRequest, testVocabulary } from './support/show-o-layout.ts';

/**
 * The causal append feed refills one set of ids/positions/mask arrays every AR step instead of
 * allocating new ones (the mask's storage doubles as its key columns grow), and what each step
 * feeds is still right.
 */
describe('AR steps reuse their forward buffers', () => {
  it('12 steps: one ids and one positions buffer, a mask buffer regrown only by doubling, the right ids and positions fed', async () => {
    const script = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const inner = scriptedTextModel(T.vocabSize, 3, script, T.eos);
    const seen: { ids: ArrayBufferLike; positions: ArrayBufferLike; mask: ArrayBufferLike }[] = [];
    const model: Transformer = {
      info: inner.info,
      dispose: () => inner.dispose(),
      forward(input: ForwardInput): Promise<ForwardOutput> {
        seen.push({ ids: input.inputIds.buffer, positions: input.positionIds.buffer, mask: input.attentionMask.buffer });
        return inner.forward(input);
      },
    };
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate(textRequest([3, 4], script.length));
    expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual(script);

    const steps = seen.slice(1);
    expect(steps).toHaveLength(script.length - 1);
    expect(new Set(steps.map((s) => s.ids)).size).toBe(1);
    expect(new Set(steps.map((s) => s.positions)).size).toBe(1);
    // Key columns grow 4 -> 14: storage of 4, 8, 16.
    expect(new Set(steps.map((s) => s.mask)).size).toBe(3);
    // The fake keeps copies: each step fed the previous token at the next position.
    expect(inner.forwards.slice(1).map((f) => [f.inputIds[0], f.positionIds[0], f.attentionMask.length])).toEqual(
      script.slice(0, -1).map((id, i) => [id, 3 + i, 4 + i]),
    );
  });
});
