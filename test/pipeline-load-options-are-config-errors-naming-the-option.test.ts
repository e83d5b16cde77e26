import { describe, expect, it } from 'vitest';
import { ConfigError, ModelFileError } from '../src/core/errors.ts';
import { OmnidecodePipeline, type PipelineOptions } from '../src/pipeline/omnidecode-pipeline.ts';

async function loadError(options: unknown): Promise<Error> {
  const error = await OmnidecodePipeline.load(options as PipelineOptions).then(async (pipeline) => { await pipeline.dispose(); }, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(ConfigError);
  expect(error).not.toBeInstanceOf(ModelFileError);
  return error as Error;
}

describe('bad load options are ConfigErrors naming the option, not model-file errors', () => {
  it('threads below 1, fractional, or not a number', async () => {
    expect((await loadError({ threads: -1 })).message).toBe('threads: got -1, expected an integer from 1 to 1024 (ONNX Runtime intra-op threads)');
    expect((await loadError({ threads: 1.5 })).message).toMatch(/^threads: got 1\.5,/);
    expect((await loadError({ threads: '4' })).message).toMatch(/^threads: got "4",/);
  });

  it('the other options', async () => {
    expect((await loadError({ model: '' })).message).toBe('model: got "", expected a model folder path (a non-empty string)');
    expect((await loadError({ unknownWords: 'drop' })).message).toBe('unknownWords: got "drop", expected "reject" or "unk"');
    expect((await loadError({ onWarning: 'console' })).message).toBe('onWarning: got "console", expected a function');
    expect((await loadError(null)).message).toBe('pipeline options: got null, expected an object');
  });
});
