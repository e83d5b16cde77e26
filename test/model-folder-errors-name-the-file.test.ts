import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/model-folder.ts';
import { readFileSync, writeFileSync } from 'node:fs';

function copyModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'omni-model-'));
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true });
  return dir;
}

describe('a broken model folder', () => {
  it('names the missing ONNX file', async () => {
    const dir = copyModel();
    rmSync(join(dir, 'onnx', 'vq-decoder.onnx'));
    const failure = OmnidecodePipeline.load({ model: dir });
    await expect(failure).rejects.toBeInstanceOf(ModelFileError);
    await expect(OmnidecodePipeline.load({ model: dir })).rejects.toThrow(/vq-decoder\.onnx/);
  });

  it('names the file and the expected inputs when a graph does not match', async () => {
    const dir = copyModel();
    const configPath = join(dir, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { vq: { encoder: string; decoder: string } };
    config.vq.encoder = config.vq.decoder; // a decoder where the encoder should be: input "codes", not "pixels"
    writeFileSync(configPath, JSON.stringify(config));
    await expect(OmnidecodePipeline.load({ model: dir })).rejects.toThrow(/vq-decoder\.onnx[\s\S]*pixels/);
  });

  it('says a folder without config.json is not a model folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-model-'));
    await expect(OmnidecodePipeline.load({ model: dir })).rejects.toThrow(/config\.json is missing/);
  });
});
