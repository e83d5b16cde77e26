import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import type { ForwardInput, ForwardOutput, Transformer } from '../src/core/transformer.ts';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/model-folder.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { checkPositionLimit } from '../src/pipeline/position-limit-check.ts';

const folders: string[] = [];
afterEach(() => { for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true }); });

function modelWithMaxPositions(maxPositions: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'omni-positions-'));
  folders.push(dir);
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true });
  const configPath = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { transformer: { maxPositions: number } };
  config.transformer.maxPositions = maxPositions;
  writeFileSync(configPath, JSON.stringify(config));
  return dir;
}

/** A model whose position lookup fails past `limit`, like an ONNX Gather on a too-small table. */
function modelFailingPast(limit: number): Transformer {
  return {
    info: { vocabSize: 4, maxPositions: 1000, numLayers: 1, supportsOmniAttention: true },
    forward(input: ForwardInput): Promise<ForwardOutput> {
      const position = input.positionIds[0] as number;
      if (position >= limit) return Promise.reject(new Error(`Gather: idx=${position} must be within [-${limit},${limit - 1}]`));
      return Promise.resolve({ logits: new Float32Array(4), vocabSize: 4, present: { batch: 1, length: 1, dispose: () => undefined } });
    },
    dispose: () => Promise.resolve(),
  };
}

describe('config.json maxPositions is checked against the transformer graph at load', () => {
  it('refuses a folder declaring more positions than the position table has, naming maxPositions, the value and the real limit', async () => {
    const dir = modelWithMaxPositions(100_000);
    const error = await OmnidecodePipeline.load({ model: dir, threads: 1 }).then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(ModelFileError);
    const message = (error as Error).message;
    expect(message).toContain(join(dir, 'config.json'));
    expect(message).toContain('transformer.maxPositions is 100000');
    expect(message).toContain('embeds only 224 positions');
    expect(message).toContain('set maxPositions to 224 or less');
  });

  it('loads a folder declaring exactly the graph\'s limit or less', async () => {
    const pipeline = await OmnidecodePipeline.load({ model: modelWithMaxPositions(224), threads: 1 });
    expect(pipeline.config.transformer.maxPositions).toBe(224);
    await pipeline.dispose();
  });

  it('without a readable position table, a forward at the last declared position decides', async () => {
    // The VQ encoder has no position table, so only the probe can tell.
    const graph = join(DEFAULT_MODEL_DIR, 'onnx', 'vq-encoder.onnx');
    const error = await checkPositionLimit(modelFailingPast(50), graph, 100, 'my/config.json').then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toBe(
      `my/config.json: transformer.maxPositions is 100, but ${graph} fails at position 99: Gather: idx=99 must be within [-50,49]`);
    await expect(checkPositionLimit(modelFailingPast(50), graph, 50, 'my/config.json')).resolves.toBeUndefined();
  });
});
