import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng, runConfig } from 'omnidecode/pipeline';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';

describe('the API runs a config object as `omnidecode run` does', () => {
  it('a raw text-to-image config gives the images the pipeline gives for the same seed and scheduler', async () => {
    const config = { seed: 11, schedulers: { image: { name: 'maskgit', steps: 4 } }, task: { type: 'text-to-image', prompt: 'a bag', count: 2, output: 'unused.png' } };
    const result = await runConfig(config, { baseDir: tmpdir() });
    expect(result.type).toBe('text-to-image');
    const pipeline = await OmnidecodePipeline.load();
    try {
      const direct = await pipeline.textToImage(['a bag', 'a bag'], { seed: 11, scheduler: { name: 'maskgit', options: { steps: 4 } } });
      expect(result.type === 'text-to-image' ? result.run.codes : []).toEqual(direct.codes);
    } finally {
      await pipeline.dispose();
    }
  });

  it('a describe config reads its image relative to baseDir and returns the text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-api-config-'));
    const pipeline = await OmnidecodePipeline.load();
    const { images } = await pipeline.textToImage(['a trouser'], { seed: 2 }).finally(() => pipeline.dispose());
    writeFileSync(join(dir, 'trouser.png'), encodePng(images[0]!));
    const result = await runConfig({ task: { type: 'describe', image: 'trouser.png' } }, { baseDir: dir });
    expect(result.type === 'describe' ? result.run.texts[0] : '').toMatch(/trouser/);
  });

  it('a config naming a shipped plugin by name decodes with its scheduler', async () => {
    const result = await runConfig({ plugins: ['halton'], schedulers: { image: { name: 'halton', steps: 4 } }, task: { type: 'text-to-image', prompt: 'a coat', output: 'x.png' } });
    expect(result.type === 'text-to-image' ? result.run.codes[0]?.length : 0).toBe(49);
  });

  it('a bad config is refused naming the field', async () => {
    await expect(runConfig({ task: { type: 'upscale' } })).rejects.toThrow('task.type: got "upscale", expected one of: text-to-image, describe, edit, inpaint, outpaint');
  });
});
