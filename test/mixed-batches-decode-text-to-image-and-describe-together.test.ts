import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import { scriptedTextModel } from './support/fake-models.ts';
import { T, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

describe('a text-to-image request and a text request in one batch', () => {
  it('decode in one call, layout group by layout group: rows in request order, each complete, the deterministic text row as it is alone', async () => {
    const vocabulary = testVocabulary();
    const model = () => scriptedTextModel(T.vocabSize, 3, [5, 6], T.eos);
    const image = t2iRequest({ options: { steps: 3 } });
    const text = textRequest([3, 4], 4, { sampler: { draw: 'greedy' } });
    const { engine } = createEngine({ model: model(), vocabulary });
    const mixed = await engine.generate([image, text, image], { seed: 4 });
    expect(mixed.rows.map((row) => row.segments.find((segment) => segment.scheduler !== undefined)?.modality)).toEqual(['image', 'text', 'image']);
    // Random draws are per layout group (rows of a group share its stream), so a sampled row may differ from
    // its solo run; the greedy text row cannot.
    const textAlone = await createEngine({ model: model(), vocabulary }).engine.generate(text, { seed: 4 });
    expect(Array.from(mixed.rows[1]?.tokens ?? [])).toEqual(Array.from(textAlone.rows[0]?.tokens ?? []));
    expect(Array.from(mixed.rows[1]?.segments[1]?.tokens ?? []).slice(0, 3)).toEqual([5, 6, T.eos]);
    expect(mixed.rows[0]?.segments[1]?.tokens.every((id) => id >= T.imageOffset && id < T.mask)).toBe(true);
  });
});
