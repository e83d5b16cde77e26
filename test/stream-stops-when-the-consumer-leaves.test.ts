import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import { testVocabulary, t2iRequest } from './support/show-o-layout.ts';
import { uniformModel } from './support/fake-models.ts';

describe('engine.stream()', () => {
  it('stops decoding and frees every cache when the consumer breaks out early', async () => {
    const vocabulary = testVocabulary();
    const model = uniformModel(vocabulary.vocabSize);
    const { engine } = createEngine({ model, vocabulary });
    let seen = 0;
    for await (const event of engine.stream(t2iRequest({ options: { steps: 6 } }))) {
      expect(event.type).toBe('step');
      seen += 1;
      if (seen === 2) break;
    }
    // Give a run that kept going in the background time to finish: it must not have.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Prefix + at most the steps already emitted (+1 in flight), never all 6.
    expect(model.forwards.length).toBeLessThan(1 + 6);
    expect(model.liveCaches()).toHaveLength(0);
  });

  it('yields every step then the result when read to the end', async () => {
    const vocabulary = testVocabulary();
    const { engine } = createEngine({ model: uniformModel(vocabulary.vocabSize), vocabulary });
    const types: string[] = [];
    for await (const event of engine.stream(t2iRequest({ options: { steps: 4 } }))) types.push(event.type);
    expect(types).toEqual(['step', 'step', 'step', 'step', 'result']);
  });
});
