import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import { editRequest } from '../src/pipeline/edit-request.ts';
import { loadEmbeddedModel } from './support/embedded-model.ts';

type Loaded = Awaited<ReturnType<typeof loadEmbeddedModel>>;

// Edits decode without guidance by default; asked for, guidance needs a twin row of the same segment layout
// (the engine refuses a batch whose twins differ): the instruction's words become padding in place.
describe('edit with guidance', () => {
  let model: Loaded;
  beforeAll(async () => { model = await loadEmbeddedModel(); });
  afterAll(async () => { await model.dispose(); });

  it('builds a twin of the same layout whose instruction words are padding', () => {
    const { pipeline } = model;
    const words = pipeline.encodePrompt('edit', 'make it darker');
    const request = editRequest(new Int32Array(pipeline.imageTokenizer.codesPerImage), words, pipeline.vocabulary, pipeline.promptLayout,
      pipeline.schedulerFor('image', { options: { guidance: 1.5 } }));
    const twin = request.unconditional ?? [];
    const shape = (segments: typeof twin): string[] => segments.map((segment) => `${segment.type}:${'ids' in segment ? segment.ids.length : ''}`);
    expect(shape(twin)).toEqual(shape(request.segments));
    const ids = (segments: typeof twin): number[] => segments.flatMap((segment) => ('ids' in segment ? Array.from(segment.ids) : []));
    const pad = pipeline.vocabulary.padTokenId;
    const conditional = ids(request.segments);
    const unconditional = ids(twin);
    const wordAt = conditional.flatMap((id, at) => (words.includes(id) && id !== pad ? [at] : []));
    expect(wordAt.length).toBeGreaterThan(0);
    for (const [at, id] of unconditional.entries()) expect(id).toBe(wordAt.includes(at) ? pad : conditional[at]);
  });

  it('decodes an edit with guidance 1.5: the same codes for the same seed, others than without guidance', async () => {
    const { pipeline } = model;
    const source = loadEvalSet(pipeline.folder).images.slice(700, 702);
    const flat = (codes: readonly Int32Array[]): number[] => codes.flatMap((row) => Array.from(row));
    const guided = { seed: 4, scheduler: { options: { guidance: 1.5 } } };
    const first = await pipeline.edit(source, 'make it darker', guided);
    const again = await pipeline.edit(source, 'make it darker', guided);
    const unguided = await pipeline.edit(source, 'make it darker', { seed: 4 });
    expect(first.images).toHaveLength(2);
    expect(flat(again.codes)).toEqual(flat(first.codes));
    // The twin row's logits were mixed in: the same seed without guidance draws other codes.
    expect(flat(unguided.codes)).not.toEqual(flat(first.codes));
  });
});
