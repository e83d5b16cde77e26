import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';
import { loadEmbeddedModel } from './support/embedded-model.ts';

type Loaded = Awaited<ReturnType<typeof loadEmbeddedModel>>;

describe('outpainting on the embedded model', () => {
  let model: Loaded;
  beforeAll(async () => { model = await loadEmbeddedModel(); });
  afterAll(async () => { await model.dispose(); });

  for (const scheduler of ['maskgit', 'autoregressive']) {
    it(`${scheduler}: keeps the source's codes shifted 2 columns right and fills the 2-column band with image codes`, async () => {
      const { pipeline } = model;
      const image = loadEvalSet(pipeline.folder).images[900] as GrayImage;
      const [source] = await pipeline.imageTokenizer.encode([image]);
      const { width, height } = pipeline.imageTokenizer.grid;
      const run = await pipeline.outpaint(image, { left: 2 }, 'a sandal', { seed: 4, count: 2, scheduler: { name: scheduler } });
      expect(run.band).toEqual({ left: 2, right: 0, top: 0, bottom: 0 });
      expect(run.codes).toHaveLength(2);
      for (const codes of run.codes) {
        for (let row = 0; row < height; row++) {
          for (let column = 0; column < width; column++) {
            const at = row * width + column;
            if (column < 2) {
              expect(run.grid[at]).toBe(1);
              // Filled: a real codebook entry, not the mask token or a leftover -1.
              expect(codes[at]).toBeGreaterThanOrEqual(0);
              expect(codes[at]).toBeLessThan(pipeline.imageTokenizer.codebookSize);
            } else {
              expect(run.grid[at]).toBe(0);
              expect(codes[at]).toBe(source?.[row * width + column - 2]);
            }
          }
        }
      }
      const generated = run.results.flatMap((result) => result.rows.map((row) => Array.from(row.segments[1]?.tokens ?? [])));
      expect(generated).toHaveLength(2);
      for (const tokens of generated) expect(tokens).not.toContain(pipeline.vocabulary.maskTokenId);
      expect(run.images).toHaveLength(2);
    });
  }

  it('takes the band in pixels of the model image, rounded up to tokens', async () => {
    const { pipeline } = model;
    const image = loadEvalSet(pipeline.folder).images[901] as GrayImage;
    // 28 px over 7 tokens: 5 px on top is 2 token rows.
    const run = await pipeline.outpaint(image, { top: 5 }, 'a bag', { seed: 1, unit: 'pixels' });
    expect(run.band).toEqual({ left: 0, right: 0, top: 2, bottom: 0 });
    expect(run.grid.reduce((sum, flag) => sum + flag, 0)).toBe(2 * pipeline.imageTokenizer.grid.width);
  });
});
