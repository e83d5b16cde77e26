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

  for (const instruction of ['make it darker', 'flip it']) {
    it(`"${instruction}" succeeds on most held-out images`, async () => {
      const sources = loadEvalSet(model.pipeline.folder).images.slice(700, 712);
      const run = await model.pipeline.edit(sources, instruction, { seed: 3 });
      const kind = editKind(instruction);
      expect(kind).not.toBeNull();
      const ok = run.images.filter((image, index) => editSucceeded(kind!, sources[index] as GrayImage, image)).length;
      expect(ok).toBeGreaterThanOrEqual(9);
    });
  }
});
