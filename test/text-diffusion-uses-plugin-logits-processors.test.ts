import { describe, expect, it } from 'vitest';
import { defineParameters, integerParameter, type LogitsProcessorDefinition } from 'omnidecode';
import { LogitsModel, TEXT_START, decode, segmentTokens, textRequest, withPlugins } from './support/plugin-fakes.ts';

/** Keeps a single text column: a processor whose effect on the output is unmistakable. */
const onlyWord: LogitsProcessorDefinition<{ word: number }> = {
  name: 'only-word',
  description: 'Keeps a single candidate column.',
  parameters: defineParameters({ word: integerParameter({ default: 3, min: 0, description: 'The column to keep.' }) }),
  create: ({ word }) => ({
    name: 'only-word',
    process(logits, offset, count) {
      for (let i = 0; i < count; i++) if (i !== word) logits[offset + i] = Number.NEGATIVE_INFINITY;
    },
  }),
};

/** Position i strongly favours word 4 + i, so only a processor can make every token the same. */
const model = new LogitsModel((query, out) => {
  out[4 + query.position - TEXT_START] = 10;
});

describe('text-diffusion builds its sampler with context.createSampler', () => {
  it('a registered plugin logits processor named in processors decides every draw', async () => {
    const parts = await withPlugins('text-diffusion');
    parts.processors.register(onlyWord, '/plugins/only-word');
    const plain = await decode(parts, model, textRequest('text-diffusion', 6, { blockLength: 3 }));
    expect(segmentTokens(plain.result)).toEqual([4, 5, 6, 7, 8, 9]);
    for (const temperature of [0, 1]) {
      const processed = await decode(parts, model, textRequest('text-diffusion', 6, { blockLength: 3, temperature, processors: [{ name: 'only-word', word: 17 }] }));
      expect(segmentTokens(processed.result)).toEqual([17, 17, 17, 17, 17, 17]);
    }
  });
});
