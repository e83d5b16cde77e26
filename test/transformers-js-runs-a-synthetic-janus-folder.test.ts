import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { JANUS_GRAPHS, JANUS_IO } from '../src/synthetic/janus/janus-io-names.ts';
import { janusSpecialIds } from '../src/synthetic/janus/janus-spec.ts';
import { transformersJsJanusImage, transformersJsJanusText } from './support/janus-transformers-js.ts';

/**
 * A Janus-layout folder written from TypeScript (six graphs, seeded random weights) is loaded by
 * transformers.js's MultiModalityCausalLM from the local folder only, and its greedy `generate`
 * (text, lm_head) and `generate_images` (gen_head, gen_img_embeds, image_decode; with and without
 * CFG's doubled batch) run to the end. Nothing is downloaded.
 */
const ids = janusSpecialIds(SMALL_JANUS_SPEC);
const IMAGE_TOKENS = SMALL_JANUS_SPEC.generationGrid ** 2;
const SIDE = SMALL_JANUS_SPEC.generationGrid * SMALL_JANUS_SPEC.patchSize;

describe('transformers.js runs a synthetic Janus folder', () => {
  let root: string;
  let folder: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-'));
    folder = join(root, 'janus-synthetic');
    writeSyntheticJanusFolder(folder);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the six graphs with the I/O names transformers.js feeds and reads', async () => {
    expect(readdirSync(join(folder, 'onnx')).sort()).toEqual(Object.values(JANUS_GRAPHS).map((name) => `${name}.onnx`).sort());
    for (const graph of Object.values(JANUS_GRAPHS)) {
      const session = await ort.InferenceSession.create(join(folder, 'onnx', `${graph}.onnx`));
      try {
        const past = session.inputNames.filter((name) => name.startsWith('past_key_values.'));
        const present = session.outputNames.filter((name) => name.startsWith('present.'));
        expect(session.inputNames.filter((name) => !past.includes(name))).toEqual([...JANUS_IO[graph].inputs]);
        expect(session.outputNames.filter((name) => !present.includes(name))).toEqual([...JANUS_IO[graph].outputs]);
        expect(past.length).toBe(graph === 'language_model' ? 2 * SMALL_JANUS_SPEC.numLayers : 0);
        expect(present.length).toBe(past.length);
      } finally {
        await session.release();
      }
    }
  });

  it('generates text greedily, with and without guidance', async () => {
    const prompt = [ids.bos, 5, 9, 13];
    const plain = await transformersJsJanusText(folder, { prompt, maxNew: 8 });
    const guided = await transformersJsJanusText(folder, { prompt, maxNew: 8, guidance: 3 });
    for (const tokens of [plain, guided]) {
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((id) => Number.isInteger(id) && id >= 0 && id < SMALL_JANUS_SPEC.textVocabSize)).toBe(true);
    }
    expect(guided).not.toEqual(plain);
  });

  it('generates an image greedily, with and without guidance, and decodes it', async () => {
    const prompt = [ids.bos, 5, 9, ids.beginOfImage];
    const plain = await transformersJsJanusImage(folder, prompt, IMAGE_TOKENS);
    const guided = await transformersJsJanusImage(folder, prompt, IMAGE_TOKENS, 4);
    for (const run of [plain, guided]) {
      expect(run.ids).toHaveLength(IMAGE_TOKENS);
      expect(run.ids.every((id) => Number.isInteger(id) && id >= 0 && id < SMALL_JANUS_SPEC.codebookSize)).toBe(true);
      expect([run.width, run.height]).toEqual([SIDE, SIDE]);
      expect(run.pixels.length).toBe(SIDE * SIDE * 3);
    }
    expect(guided.ids).not.toEqual(plain.ids);
  });
});
