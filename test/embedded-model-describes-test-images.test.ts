import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClass } from '../src/evaluation/answer-class.ts';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import { loadEmbeddedModel } from './support/embedded-model.ts';

type Loaded = Awaited<ReturnType<typeof loadEmbeddedModel>>;

describe('image -> text on held-out test images', () => {
  let model: Loaded;
  beforeAll(async () => { model = await loadEmbeddedModel(); });
  afterAll(async () => { await model.dispose(); });

  it('names the right class for most of 40 held-out images', async () => {
    const evalSet = loadEvalSet(model.pipeline.folder);
    const images = evalSet.images.slice(0, 40);
    const run = await model.pipeline.describe(images, { seed: 0 });
    const names = model.pipeline.config.prompts.classNames;
    const hits = run.texts.filter((text, index) => answerClass(text, names) === evalSet.labels[index]).length;
    expect(hits).toBeGreaterThanOrEqual(30);
    // Answers are words from the vocabulary, never special tokens.
    for (const text of run.texts) expect(text).not.toMatch(/<\||\[UNK\]/);
  });
});
