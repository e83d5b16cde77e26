import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editKind, editSucceeded } from '../src/evaluation/edit-criteria.ts';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';
import { loadEmbeddedModel } from './support/embedded-model.ts';

type Loaded = Awaited<ReturnType<typeof loadEmbeddedModel>>;

describe('editing by instruction', () => {
  let model: Loaded;
  beforeAll(async () => { model = await loadEmbeddedModel(); });
  afterAll(async () => { await model.dispose(); });

  for (const instruction of ['make it darker', 'make it lighter', 'flip it', 'make it smaller']) {
    it(`"${instruction}" succeeds and keeps the class on most held-out images`, async () => {
      const evalSet = loadEvalSet(model.pipeline.folder);
      const sources = evalSet.images.slice(700, 712);
      const run = await model.pipeline.edit(sources, instruction, { seed: 3 });
      const kind = editKind(instruction);
      expect(kind).not.toBeNull();
      const ok = run.images.filter((image, index) => editSucceeded(kind!, sources[index] as GrayImage, image)).length;
      expect(ok).toBeGreaterThanOrEqual(10);
      const judged = await model.classifier.classify(run.images);
      const kept = run.images.filter((_, index) => judged.labels[index] === evalSet.labels[700 + index]).length;
      expect(kept).toBeGreaterThanOrEqual(8);
    });
  }
});
