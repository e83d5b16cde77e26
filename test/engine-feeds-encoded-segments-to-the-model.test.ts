import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../src/core/errors.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import type { EncodedSpan, EncoderInput, ForwardInput, ForwardOutput, Transformer, TransformerInfo } from '../src/core/transformer.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { scriptedTextModel } from './support/fake-models.ts';
import { T, testVocabulary } from './support/show-o-layout.ts';

/**
 * A given segment with `encoded` reaches the model as an encoded span of the forward that feeds it
 * (row and positions relative to that forward), only on that forward; a model that does not list
 * the input's kind refuses the request before any forward, naming the field and the kinds it takes.
 */
class EncoderModel implements Transformer {
  readonly info: TransformerInfo;
  readonly seen: (readonly EncodedSpan[] | undefined)[] = [];
  constructor(private readonly inner: Transformer, kinds: readonly string[] | undefined) {
    this.info = { ...inner.info, ...(kinds === undefined ? {} : { encoderInputs: kinds }) };
  }
  forward(input: ForwardInput): Promise<ForwardOutput> {
    this.seen.push(input.encoded);
    return this.inner.forward(input);
  }
  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

const picture: EncoderInput = { kind: 'image', dims: [3, 2, 2], data: Float32Array.from({ length: 12 }, (_, i) => i / 12) };

function request(encoded: EncoderInput): GenerationRequest {
  return {
    segments: [
      { type: 'tokens', ids: [T.bos, T.soi] },
      { type: 'tokens', ids: [T.firstWord, T.firstWord, T.firstWord], encoded },
      { type: 'tokens', ids: [T.eoi, T.firstWord + 1] },
      { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 3, options: { sampler: { draw: 'greedy' } } },
    ],
  };
}

describe('encoded segments', () => {
  it('are given to the forward that feeds them, at their positions, and to no other', async () => {
    const model = new EncoderModel(scriptedTextModel(T.vocabSize, 7, [5, 6, 7], T.eos), ['image']);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    await engine.generate(request(picture));
    expect(model.seen.length).toBeGreaterThan(1);
    expect(model.seen[0]).toEqual([{ row: 0, start: 2, length: 3, input: picture }]);
    expect(model.seen.slice(1).every((spans) => spans === undefined)).toBe(true);
  });

  it('are refused by a model that embeds ids only, before any forward', async () => {
    const model = new EncoderModel(scriptedTextModel(T.vocabSize, 7, [5, 6, 7], T.eos), undefined);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const run = engine.generate(request(picture));
    await expect(run).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(run).rejects.toThrow(/segments\[1\]\.encoded\.kind.*this model embeds ids only/u);
    expect(model.seen).toEqual([]);
  });

  it('whose data does not match its dims are refused naming the size', async () => {
    const model = new EncoderModel(scriptedTextModel(T.vocabSize, 7, [5, 6, 7], T.eos), ['image']);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const run = engine.generate(request({ ...picture, dims: [3, 3, 3] }));
    await expect(run).rejects.toThrow(/encoded\.data.*27 values/u);
  });
});
