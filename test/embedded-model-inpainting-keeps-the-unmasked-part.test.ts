import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';
import { loadEmbeddedModel } from './support/embedded-model.ts';

type Loaded = Awaited<ReturnType<typeof loadEmbeddedModel>>;

describe('inpainting on the embedded model', () => {
  let model: Loaded;
  beforeAll(async () => { model = await loadEmbeddedModel(); });
  afterAll(async () => { await model.dispose(); });

  it('keeps every code outside the mask and regenerates the masked rows', async () => {
    const image = loadEvalSet(model.pipeline.folder).images[900] as GrayImage;
    // Mask the top half (white = regenerate), drawn at 4x the image size to exercise resizing.
    const mask: GrayImage = { width: 112, height: 112, pixels: new Float32Array(112 * 112) };
    mask.pixels.fill(1, 0, 112 * 56);
    const [original] = await model.pipeline.imageTokenizer.encode([image]);
    const run = await model.pipeline.inpaint(image, mask, 'a sandal', { seed: 2 });
    const out = run.codes[0] as Int32Array;
    const { width } = model.pipeline.imageTokenizer.grid;
    let masked = 0;
    run.grid.forEach((flag, index) => {
      if (flag === 0) expect(out[index]).toBe(original?.[index]);
      else masked += 1;
    });
    // 7 rows: rows 0-2 fully inside the white half, row 3 half covered (0.5 counts as masked).
    expect(masked).toBe(4 * width);
  });
});
