import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanusImageDecoder } from '../src/backends/onnx/janus/janus-image-decoder.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { janusSpecialIds } from '../src/synthetic/janus/janus-spec.ts';
import { ourJanusGreedy } from './support/janus-ours.ts';
import { transformersJsJanusImage } from './support/janus-transformers-js.ts';

/**
 * The codes our engine generates on a synthetic Janus folder, decoded by the folder's image_decode
 * graph through JanusImageDecoder, give byte for byte the RGB image transformers.js's
 * generate_images returns for the same prompt (guided, greedy).
 */
const GRID = SMALL_JANUS_SPEC.generationGrid;
const ids = janusSpecialIds(SMALL_JANUS_SPEC);
const PROMPT = [ids.bos, 11, 4, ids.beginOfImage];

describe('Janus image decode', () => {
  let root: string;
  let folder: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-decode-'));
    folder = join(root, 'janus');
    writeSyntheticJanusFolder(folder);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives transformers.js\'s pixels for our codes', async () => {
    const theirs = await transformersJsJanusImage(folder, PROMPT, GRID * GRID, 2);
    const codes = await ourJanusGreedy(folder, { prompt: PROMPT, modality: 'image', length: GRID * GRID, grid: GRID, guidance: 2 });
    const decoder = await JanusImageDecoder.load(folder);
    try {
      const image = await decoder.decode(codes);
      expect([image.width, image.height]).toEqual([theirs.width, theirs.height]);
      expect(Buffer.from(image.rgb).equals(Buffer.from(theirs.pixels))).toBe(true);
      expect(new Set(image.rgb).size).toBeGreaterThan(16);
    } finally {
      await decoder.dispose();
    }
  });
});
