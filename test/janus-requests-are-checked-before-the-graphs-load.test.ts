import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JanusImageDecoder } from '../src/backends/onnx/janus/janus-image-decoder.ts';
import { JanusTransformer } from '../src/backends/onnx/janus/janus-transformer.ts';
import { ConfigError, InputError } from '../src/core/errors.ts';
import { JanusPipeline, JanusPrompts } from '../src/pipeline/janus/janus-pipeline.ts';
import { writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { encodePng } from '../src/tokenizers/png-image.ts';
import { inProcessCli as cli } from './support/in-process-cli.ts';

/**
 * A Janus request is checked before the graphs load: describe's and complete's --max-tokens against
 * the positions the prompt leaves, the question's words, and --batch-size (which a Janus folder does
 * not honour: its -n images decode as one batch) is refused naming the flag. A load that fails after
 * the graphs opened releases them. JanusPipeline takes `threads`, as OmnidecodePipeline does.
 */
describe('Janus requests are checked before the graphs load', () => {
  let root: string;
  let folder: string;
  let image: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-checks-'));
    folder = join(root, 'janus');
    writeSyntheticJanusFolder(folder);
    image = join(root, 'colour.png');
    writeFileSync(image, encodePng({ width: 32, height: 32, channels: 3, pixels: new Float32Array(32 * 32 * 3).fill(0.25) }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  const refusedUnloaded = async (args: readonly string[], message: RegExp): Promise<void> => {
    const load = vi.spyOn(JanusTransformer, 'load');
    const run = await cli(args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(1);
    expect(load).not.toHaveBeenCalled();
  };

  it('describe: a --max-tokens past the positions is refused, naming maxTokens, before any graph loads', async () => {
    await refusedUnloaded(['describe', image, '--model', folder, '--max-tokens', '100000'], /maxTokens.*100000.*an integer from 1 to \d+/u);
  });

  it('describe: a question with an unknown word is refused before any graph loads', async () => {
    await refusedUnloaded(['describe', image, '--model', folder, '--question', 'w5 zebra'], /zebra/u);
  });

  it('complete: a --max-tokens past the positions is refused before any graph loads', async () => {
    await refusedUnloaded(['complete', '--model', folder, 'w5 w9', '--max-tokens', '100000'], /maxTokens.*100000/u);
  });

  it('generate: --batch-size is refused naming the flag, before any graph loads, and nothing is written', async () => {
    const out = join(root, 'batch.png');
    await refusedUnloaded(['generate', 'w5 w9', '--model', folder, '-o', out, '-n', '4', '--batch-size', '2'],
      /--batch-size is not available for Janus folders .*decoded together in one batch/u);
    expect(existsSync(out)).toBe(false);
  });

  it('a load that fails after the graphs opened (the engine) releases the model and the decoder', async () => {
    const modelDispose = vi.spyOn(JanusTransformer.prototype, 'dispose');
    const decoderDispose = vi.spyOn(JanusImageDecoder.prototype, 'dispose');
    const broken = { resolve: () => undefined, createChildContainer: () => { throw new Error('no engine here'); } } as unknown as DependencyContainer;
    await expect(JanusPipeline.load({ model: folder, container: broken })).rejects.toThrow('no engine here');
    expect(modelDispose).toHaveBeenCalledTimes(1);
    expect(decoderDispose).toHaveBeenCalledTimes(1);
  });

  it('threads reach the sessions as intra-op threads; a bad count or the old name is refused naming the option', async () => {
    const load = vi.spyOn(JanusTransformer, 'load');
    const pipeline = await JanusPipeline.load({ model: folder, threads: 1 });
    await pipeline.dispose();
    expect(load.mock.calls[0]?.[1]).toMatchObject({ intraOpThreads: 1 });
    await expect(JanusPrompts.open({ model: folder, threads: 0 })).rejects.toThrow(ConfigError);
    const old = await JanusPrompts.open({ model: folder, intraOpThreads: 2 } as never).catch((error: unknown) => error);
    expect(old).toBeInstanceOf(ConfigError);
    expect((old as ConfigError).what).toBe('intraOpThreads');
    expect((old as ConfigError).expected).toContain('threads');
  });

  it('the CLI\'s --threads reaches the sessions', async () => {
    const load = vi.spyOn(JanusTransformer, 'load');
    const run = await cli(['complete', '--model', folder, 'w5 w9', '--max-tokens', '2', '--threads', '1']);
    expect(run.code).toBe(0);
    expect(load.mock.calls[0]?.[1]).toMatchObject({ intraOpThreads: 1 });
  });

  it('a prompt is checked by JanusPrompts without the graphs', async () => {
    const load = vi.spyOn(JanusTransformer, 'load');
    const prompts = await JanusPrompts.open({ model: folder });
    expect(() => prompts.complete('w5 w9', 100000)).toThrow(InputError);
    expect(prompts.complete('w5 w9', 3).maxTokens).toBe(3);
    expect(() => prompts.image('w5 w9', 65)).toThrow(InputError);
    expect(load).not.toHaveBeenCalled();
  });
});
