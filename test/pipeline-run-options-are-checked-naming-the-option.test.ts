import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { OmnidecodePipeline, type SampleOptions } from '../src/pipeline/omnidecode-pipeline.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';

async function refusal(call: () => Promise<unknown>): Promise<Error> {
  const error = await call().then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(InputError);
  return error as Error;
}

const image: GrayImage = { width: 28, height: 28, pixels: new Float32Array(784) };

describe('run options out of range are refused before decoding, naming the option', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await OmnidecodePipeline.load({ threads: 1 }); });
  afterAll(async () => { await pipeline.dispose(); });

  it('counts and batch sizes', async () => {
    expect((await refusal(() => pipeline.inpaint(image, image, 'a bag', { count: 0 }))).message).toBe('count: got 0, expected an integer from 1 to 100000');
    expect((await refusal(() => pipeline.outpaint(image, { top: 1 }, 'a bag', { count: 1e9 }))).message).toBe('count: got 1000000000, expected an integer from 1 to 100000');
    expect((await refusal(() => pipeline.textToImage(['a bag'], { batchSize: 0 }))).message).toBe('batchSize: got 0, expected an integer from 1 to 4096');
    const callbacks = { onBatch: 'log' } as unknown as SampleOptions;
    expect((await refusal(() => pipeline.textToImage(['a bag'], callbacks))).message).toBe('onBatch: got "log", expected a function');
  });

  it('a scheduler choice that is not a name and an options object', async () => {
    const badName = { scheduler: { name: 42 } } as unknown as SampleOptions;
    expect((await refusal(() => pipeline.textToImage(['a bag'], badName))).message).toBe('scheduler.name: got 42, expected a scheduler name (a non-empty string)');
    const badOptions = { scheduler: { options: 'fast' } } as unknown as SampleOptions;
    expect((await refusal(() => pipeline.describe([image], badOptions))).message).toBe('scheduler.options: got "fast", expected an object of scheduler parameters');
  });

  it('an answer longer than the model\'s positions leave: maxTokens is named with the room there is', async () => {
    // 224 positions - (<|mmu|> <|soi|> 49 codes <|eoi|> <|bos|> + the 4-token question "what is this ?") = 167.
    expect((await refusal(() => pipeline.describe([image], { maxTokens: 168 }))).message).toBe(
      'maxTokens: got 168, expected at most 167: the model has 224 positions and the image with its question takes 57 '
      + '(<|mmu|> <|soi|> 49 codes <|eoi|> <|bos|> 4 question tokens)');
    expect((await refusal(() => pipeline.describe([image], { maxTokens: 0 }))).message).toBe(`maxTokens: got 0, expected an integer from 1 to ${Number.MAX_SAFE_INTEGER}`);
    const run = await pipeline.describe([image], { maxTokens: 167 });
    expect(run.texts).toHaveLength(1);
  });
});
