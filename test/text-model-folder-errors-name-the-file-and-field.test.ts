import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { openTextModelFolder } from '../src/pipeline/text-model-folder.ts';
import { writeHuggingFaceDecoder } from '../src/synthetic/synthetic-decoder.ts';

/** A text-only folder that lacks a file or has a bad config field is refused naming the file and the field. */

async function rejection(promise: Promise<unknown>): Promise<ModelFileError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a rejection');
}

describe('text-only model folder', () => {
  let dir: string;
  const config = (): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const writeConfig = (value: Record<string, unknown>): void => writeFileSync(join(dir, 'config.json'), JSON.stringify(value));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omnidecode-text-folder-'));
    writeHuggingFaceDecoder({ vocabSize: 32, hiddenSize: 16, numLayers: 1, numHeads: 2, maxPositions: 16, seed: 1, maskStyle: 'standard-2d' }, dir,
      { bosTokenId: 1, eosTokenId: 2, tokenizer: true });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what the export wrote', async () => {
    const folder = await openTextModelFolder(dir);
    expect(folder).toMatchObject({ vocabSize: 32, numLayers: 1, numHeads: 2, headDim: 8, maxPositions: 16, bosTokenId: 1, eosTokenIds: [2] });
    expect(folder.transformerFile).toBe(join(dir, 'onnx', 'model.onnx'));
  });

  it('names a missing tokenizer, graph or config field', async () => {
    unlinkSync(join(dir, 'tokenizer.json'));
    expect((await rejection(openTextModelFolder(dir))).message).toContain(join(dir, 'tokenizer.json'));
    unlinkSync(join(dir, 'onnx', 'model.onnx'));
    expect((await rejection(openTextModelFolder(dir))).message).toContain(join(dir, 'onnx', 'model.onnx'));
  });

  it('names the config field and its file', async () => {
    const { num_hidden_layers: _layers, ...rest } = config();
    writeConfig(rest);
    const missing = await rejection(openTextModelFolder(dir));
    expect(missing.what).toBe('num_hidden_layers or n_layer');
    expect(missing.message).toContain(join(dir, 'config.json'));
    writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: [2, 99] }));
    writeConfig({ ...rest, num_hidden_layers: 1 });
    const eos = await rejection(openTextModelFolder(dir));
    expect(eos.what).toBe('eos_token_id[1]');
    expect(eos.message).toContain(join(dir, 'generation_config.json'));
  });
});
