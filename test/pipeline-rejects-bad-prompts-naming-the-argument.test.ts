import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { INPUT_LIMITS } from '../src/pipeline/input-checks.ts';

/** Calls meant to be refused; the error, with `unknown` arguments as a JavaScript caller could pass. */
async function refusal(call: () => Promise<unknown>): Promise<Error> {
  const error = await call().then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(InputError);
  return error as Error;
}

describe('prompts that are not bounded strings are refused up front, naming the argument', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await OmnidecodePipeline.load({ threads: 1 }); });
  afterAll(async () => { await pipeline.dispose(); });
  const untyped = (): Record<string, (...args: unknown[]) => Promise<unknown>> => pipeline as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

  it('a number among the prompts', async () => {
    expect((await refusal(() => untyped().textToImage!([42]))).message).toBe('prompts[0]: got 42, expected a string');
    expect((await refusal(() => untyped().textToImage!(['a bag', null]))).message).toBe('prompts[1]: got null, expected a string');
  });

  it('one string where a list of prompts belongs, or an empty list', async () => {
    expect((await refusal(() => untyped().textToImage!('a bag'))).message).toBe('prompts: got "a bag", expected an array of prompt strings');
    expect((await refusal(() => pipeline.textToImage([]))).message).toBe(`prompts length: got 0, expected 1 to ${INPUT_LIMITS.items} entries`);
  });

  it('a prompt longer than the character limit, an instruction or question that is not a string', async () => {
    const long = 'a '.repeat(3000);
    expect((await refusal(() => pipeline.textToImage([long]))).message)
      .toBe(`prompts[0]: got "6000 characters", expected at most ${INPUT_LIMITS.promptCharacters} characters`);
    const image = { width: 28, height: 28, pixels: new Float32Array(784) };
    expect((await refusal(() => untyped().edit!([image], 7))).message).toBe('instruction: got 7, expected a string');
    expect((await refusal(() => untyped().describe!([image], { question: ['what'] }))).message).toBe('question: got ["what"], expected a string');
    expect((await refusal(() => untyped().inpaint!(image, image, undefined))).message).toBe('prompt: got undefined, expected a string');
  });
});
