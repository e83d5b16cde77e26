import { describe, expect, it } from 'vitest';
import { buildAttentionMask } from '../src/core/omni-attention-mask.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { buildSequenceLayout } from '../src/core/sequence-layout.ts';
import { FakeTransformer } from './support/fake-models.ts';
import { T, testVocabulary } from './support/show-o-layout.ts';

const image = (code: number) => ({ type: 'image' as const, codes: new Array<number>(T.gridTokens).fill(code) });
const text = (...ids: number[]) => ({ type: 'tokens' as const, ids });

// [text 1] [image 1] [text 2] [image 2] [text 3] -> a new image (showlab/Show-o issue 35).
const request: GenerationRequest = {
  segments: [
    text(T.bos, 3, 4, T.soi), image(1), text(T.eoi, 5, T.soi), image(2), text(T.eoi, 6, 7, T.soi),
    { type: 'generate', modality: 'image', scheduler: 'maskgit', length: T.gridTokens, options: { steps: 3 } },
    text(T.eoi),
  ],
};

describe('interleaved context of any length', () => {
  it('each given image is its own bidirectional block; text stays causal; the generated image sees all of it', () => {
    const layout = buildSequenceLayout([request], testVocabulary(), false, new Map([[5, true]]));
    const mask = buildAttentionMask(layout.attention[0]!);
    const at = (query: number, key: number): number => mask[query * layout.length + key] as number;
    const [first, second, generated] = [4, 4 + 9 + 3, 4 + 9 + 3 + 9 + 4];
    expect(at(first, first + 8)).toBe(1); // image 1 sees its own last code
    expect(at(first, second)).toBe(0); // but not image 2, which comes later
    expect(at(second, first)).toBe(1); // image 2 sees image 1 (causal across blocks)
    expect(at(first + 9, first + 10)).toBe(0); // text after image 1 is causal
    expect(at(generated, second + 8)).toBe(1);
    expect(at(generated, generated + 8)).toBe(1); // the generated image is bidirectional too
  });

  it('decodes: the generated image is conditioned on every earlier segment, fed once as a cached prefix', async () => {
    const seen: number[][] = [];
    const model = new FakeTransformer({
      vocabSize: T.vocabSize,
      fill: (query, out) => {
        if (query.index === 0) seen.push([...query.pastIds, ...query.inputIds]);
        out[T.imageOffset + 7] = 40;
      },
    });
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate(request, { seed: 1 });
    const generated = result.rows[0]?.segments[5]?.tokens ?? new Int32Array();
    expect(Array.from(generated)).toEqual(new Array<number>(T.gridTokens).fill(T.imageOffset + 7));
    // One prefill of the whole interleaved context, then the block steps after it.
    expect(model.forwards[0]?.length).toBe(4 + 9 + 3 + 9 + 4);
    // Every block step's first query sees (in its cache) both given images and all three text turns.
    const context = [T.bos, 3, 4, T.soi, ...new Array<number>(9).fill(T.imageOffset + 1), T.eoi, 5, T.soi, ...new Array<number>(9).fill(T.imageOffset + 2), T.eoi, 6, 7, T.soi];
    expect(seen.length).toBeGreaterThan(1);
    for (const ids of seen.slice(1)) expect(ids.slice(0, context.length)).toEqual(context);
    expect(model.forwards.slice(1).every((forward) => forward.pastLength === 4 + 9 + 3 + 9 + 4)).toBe(true);
  });
});
