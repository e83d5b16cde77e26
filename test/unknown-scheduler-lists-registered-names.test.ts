import { describe, expect, it } from 'vitest';
import { UnknownSchedulerError } from '../src/core/errors.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

describe('an unknown scheduler name', () => {
  it('is rejected before any forward, listing the registered schedulers', async () => {
    const model = uniformModel(T.vocabSize);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const attempt = engine.generate(t2iRequest({ scheduler: 'halton' }));
    await expect(attempt).rejects.toBeInstanceOf(UnknownSchedulerError);
    await expect(engine.generate(t2iRequest({ scheduler: 'halton' }))).rejects.toThrow(
      'unknown scheduler "halton"; registered schedulers: autoregressive, maskgit',
    );
    expect(model.forwards).toHaveLength(0);
  });
});
