import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ConfigError, defineParameters, integerParameter, type LogitsProcessorDefinition } from '../src/index.ts';
import { createEngine, createSchedulerContainer } from '../src/omnidecode-container.ts';
import { testVocabulary, t2iRequest, T } from './support/show-o-layout.ts';
import { uniformModel } from './support/fake-models.ts';

/** Blocks every image code except one: a processor whose effect on the output is unmistakable. */
const onlyCode: LogitsProcessorDefinition<{ code: number }> = {
  name: 'only-code',
  description: 'Keeps a single candidate column.',
  parameters: defineParameters({ code: integerParameter({ default: 0, min: 0, description: 'The column to keep.' }) }),
  create: ({ code }) => ({
    name: 'only-code',
    process(logits, offset, count) {
      for (let i = 0; i < count; i++) if (i !== code) logits[offset + i] = Number.NEGATIVE_INFINITY;
    },
  }),
};

describe('registered logits processors', () => {
  it('run inside a scheduler when named in sampler.processors', async () => {
    const { container, processors } = createSchedulerContainer();
    processors.register(onlyCode, '/plugins/only-code');
    const vocabulary = testVocabulary();
    const { engine } = createEngine({ model: uniformModel(vocabulary.vocabSize), vocabulary, container });
    const request = t2iRequest({ options: { steps: 3, sampler: { processors: [{ name: 'only-code', code: 5 }] } } });
    const result = await engine.generate(request, { seed: 1 });
    const image = result.rows[0]?.segments[1]?.tokens;
    expect(Array.from(image ?? [])).toEqual(new Array(T.gridTokens).fill(vocabulary.imageTokenOffset + 5));
  });

  it('an unknown processor name is a ConfigError listing the registered ones', async () => {
    const vocabulary = testVocabulary();
    const { engine } = createEngine({ model: uniformModel(vocabulary.vocabSize), vocabulary });
    const request = t2iRequest({ options: { sampler: { processors: [{ name: 'nope' }] } } });
    const failure = engine.generate(request);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(engine.generate(request)).rejects.toThrow(/top-k/);
  });
});
