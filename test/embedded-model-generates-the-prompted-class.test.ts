import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddedModel } from './support/embedded-model.ts';

type Loaded = Awaited<ReturnType<typeof loadEmbeddedModel>>;

describe('the embedded model draws what the prompt names', () => {
  let model: Loaded;
  beforeAll(async () => { model = await loadEmbeddedModel(); });
  afterAll(async () => { await model.dispose(); });

  const TROUSER = 1;
  const SNEAKER = 7;

  it('maskgit: "a trouser" is classified as a trouser for most seeds', async () => {
    const run = await model.pipeline.textToImage(new Array(8).fill('a trouser'), { seed: 11 });
    const { labels } = await model.classifier.classify(run.images);
    expect(labels.filter((label) => label === TROUSER).length).toBeGreaterThanOrEqual(6);
  });

  it('autoregressive raster decoding: "a sneaker" is classified as a sneaker for most seeds', async () => {
    const run = await model.pipeline.textToImage(new Array(8).fill('a sneaker'), { seed: 12, scheduler: { name: 'autoregressive' } });
    const { labels } = await model.classifier.classify(run.images);
    expect(labels.filter((label) => label === SNEAKER).length).toBeGreaterThanOrEqual(6);
    // Raster AR: one forward for the prompt, then one per token after the first.
    expect(run.results[0]?.stats.forwardPasses).toBe(1 + model.pipeline.vocabulary.imageTokenCount - 1);
  });

  it('the same seed gives byte-identical tokens; another seed differs', async () => {
    const a = await model.pipeline.textToImage(['a bag', 'a bag'], { seed: 5 });
    const b = await model.pipeline.textToImage(['a bag', 'a bag'], { seed: 5 });
    const c = await model.pipeline.textToImage(['a bag', 'a bag'], { seed: 6 });
    expect(a.codes.map((codes) => Array.from(codes))).toEqual(b.codes.map((codes) => Array.from(codes)));
    expect(a.codes.map((codes) => Array.from(codes))).not.toEqual(c.codes.map((codes) => Array.from(codes)));
  });
});
