import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import { scriptedTextModel, uniformModel } from './support/fake-models.ts';
import { PROMPT_LENGTH, T, t2iPrefix, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

describe('the engine reuses the cached prefix', () => {
  for (const steps of [1, 4, 12]) {
    it(`maskgit with ${steps} steps: 1 prefix forward + ${steps} block forwards, the prefix fed once`, async () => {
      const model = uniformModel(T.vocabSize);
      const { engine } = createEngine({ model, vocabulary: testVocabulary() });
      const result = await engine.generate(t2iRequest({ words: [3, 4], options: { steps } }));
      const prefixLength = PROMPT_LENGTH + 1;
      expect(model.forwards).toHaveLength(1 + steps);
      expect(result.stats.forwardPasses).toBe(1 + steps);
      expect(result.stats.phases[0]?.forwardPasses).toBe(1 + steps);
      const [prefix, ...blocks] = model.forwards;
      expect(prefix?.pastLength).toBe(0);
      expect(prefix?.length).toBe(prefixLength);
      expect(Array.from(prefix?.inputIds ?? [])).toEqual(t2iPrefix([3, 4]));
      // Every block forward sees exactly the prefix as past and feeds exactly the 9 image positions.
      expect(blocks.map((forward) => [forward.pastLength, forward.length])).toEqual(new Array(steps).fill([prefixLength, T.gridTokens]));
      expect(Array.from(blocks[0]?.positionIds ?? [])).toEqual(Array.from({ length: T.gridTokens }, (_, i) => prefixLength + i));
      // The first block forward is all mask tokens.
      expect(Array.from(blocks[0]?.inputIds ?? [])).toEqual(new Array(T.gridTokens).fill(T.mask));
      // Every cache handed out was disposed.
      expect(model.caches).toHaveLength(1 + steps);
      expect(model.liveCaches()).toEqual([]);
    });
  }

  it('a block forward feeds the canvas as committed so far', async () => {
    const model = uniformModel(T.vocabSize);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const canvases: number[][] = [];
    await engine.generate(t2iRequest({ options: { steps: 3 } }), { onStep: (event) => canvases.push(Array.from(event.canvas)) });
    expect(Array.from(model.forwards[2]?.inputIds ?? [])).toEqual(canvases[0]);
    expect(Array.from(model.forwards[3]?.inputIds ?? [])).toEqual(canvases[1]);
  });

  it('autoregressive N tokens: 1 prefix forward, then N - 1 forwards of one token each, past growing by one', async () => {
    const n = 6;
    const model = scriptedTextModel(T.vocabSize, 3, [5, 6, 7, 8, 9, 10, 11], T.eos);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate(textRequest([3, 4], n));
    expect(result.stats.forwardPasses).toBe(n);
    expect(model.forwards.map((forward) => [forward.pastLength, forward.length])).toEqual([
      [0, 3], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1],
    ]);
    // Each step feeds the token the previous step committed.
    expect(model.forwards.slice(1).map((forward) => forward.inputIds[0])).toEqual([5, 6, 7, 8, 9]);
    expect(model.liveCaches()).toEqual([]);
  });

  it('a given segment after a generated one is fed once, after the generated tokens', async () => {
    // Text -> image -> text: the image block is generated, then <|eoi|> <|bos|> is fed with it as one forward.
    const model = uniformModel(T.vocabSize);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate({
      segments: [
        { type: 'tokens', ids: t2iPrefix([3]) },
        { type: 'generate', modality: 'image', scheduler: 'maskgit', length: T.gridTokens, options: { steps: 2 } },
        { type: 'tokens', ids: [T.eoi, T.bos] },
        { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 3, stop: { eos: false } },
      ],
    });
    const prefixLength = PROMPT_LENGTH + 1;
    expect(model.forwards.map((forward) => [forward.pastLength, forward.length])).toEqual([
      [0, prefixLength], [prefixLength, 9], [prefixLength, 9],
      [prefixLength, 9 + 2], // image (now fixed) + <|eoi|> <|bos|>
      [prefixLength + 11, 1], [prefixLength + 12, 1],
    ]);
    const image = Array.from(result.rows[0]?.segments[1]?.tokens ?? []);
    expect(Array.from(model.forwards[3]?.inputIds ?? [])).toEqual([...image, T.eoi, T.bos]);
    expect(model.liveCaches()).toEqual([]);
  });
});
