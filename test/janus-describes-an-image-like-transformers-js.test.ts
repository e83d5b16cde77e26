import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanusPipeline } from '../src/pipeline/janus/janus-pipeline.ts';
import { janusPixelValues } from '../src/pipeline/janus/janus-image-input.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';
import { transformersJsJanusDescribe } from './support/janus-transformers-js.ts';

/**
 * Image understanding on a synthetic Janus folder, two ways, greedy: our JanusPipeline.describe
 * (the image's pixels through prepare_inputs_embeds at its placeholders, inside the engine's
 * prefill) and transformers.js's VLChatProcessor + MultiModalityCausalLM.generate. The prompt ids,
 * the pixel values and the answer's tokens are identical, for a square image and for a wide one
 * (fitted and padded with the background colour), with and without guidance.
 */
const MAX_NEW = 12;

/** A seeded-looking RGB pattern, 8-bit levels, as both sides read it. */
function pattern(width: number, height: number, salt: number): { rgb: Uint8ClampedArray; width: number; height: number; image: GrayImage } {
  const rgb = new Uint8ClampedArray(width * height * 3).map((_, i) => (i * 37 + salt * 101 + (i >> 7) * 13) % 256);
  return { rgb, width, height, image: { width, height, channels: 3, pixels: Float32Array.from(rgb, (level) => level / 255) } };
}

describe('a Janus folder describes an image like transformers.js', () => {
  let root: string;
  let folder: string;
  let pipeline: JanusPipeline;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-describe-'));
    folder = join(root, 'janus');
    writeSyntheticJanusFolder(folder, SMALL_JANUS_SPEC);
    pipeline = await JanusPipeline.load({ model: folder });
  });
  afterAll(async () => {
    await pipeline.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const cases = [
    { name: 'square 384x384', picture: pattern(384, 384, 1), question: 'Describe this image.', guidance: undefined },
    { name: 'wide 384x192', picture: pattern(384, 192, 2), question: 'w5 w9 w13', guidance: undefined },
    { name: 'square, guidance 3', picture: pattern(384, 384, 3), question: 'Describe this image.', guidance: 3 },
  ] as const;

  for (const { name, picture, question, guidance } of cases) {
    it(`${name}: the same prompt, pixel values and answer`, async () => {
      const theirs = await transformersJsJanusDescribe(folder, picture, question, MAX_NEW, guidance);
      const ours = await pipeline.describe(picture.image, question, {
        maxTokens: MAX_NEW, options: { sampler: { draw: 'greedy' }, ...(guidance === undefined ? {} : { guidance, guidanceForm: 'standard' }) },
      });
      expect(ours.promptIds).toEqual(theirs.promptIds);
      expect(janusPixelValues(picture.image, pipeline.folder.preprocessing).input.data).toEqual(theirs.pixelValues);
      expect(theirs.ids.length).toBeGreaterThan(0);
      expect(ours.ids).toEqual(theirs.ids);
    });
  }

  it('the image changes the answer (the pixels reach the model)', async () => {
    const solid = (level: number): GrayImage => ({ width: 384, height: 384, channels: 3, pixels: new Float32Array(384 * 384 * 3).fill(level) });
    const greedy = { maxTokens: MAX_NEW, options: { sampler: { draw: 'greedy' } } };
    const dark = await pipeline.describe(solid(0), 'Describe this image.', greedy);
    const light = await pipeline.describe(solid(1), 'Describe this image.', greedy);
    expect(dark.ids).not.toEqual(light.ids);
  });
});
