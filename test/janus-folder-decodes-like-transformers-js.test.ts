import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { janusSpecialIds, type SyntheticJanusSpec } from '../src/synthetic/janus/janus-spec.ts';
import { ourJanusGreedy } from './support/janus-ours.ts';
import { transformersJsJanusImage, transformersJsJanusText } from './support/janus-transformers-js.ts';

/**
 * A synthetic Janus-layout folder decoded two ways, greedy: our engine over JanusTransformer
 * (prepare_inputs_embeds / gen_img_embeds by id, lm_head / gen_head columns by the segment's
 * modality, CFG with Janus's all-pad unconditional row) and transformers.js's MultiModalityCausalLM
 * (`generate` for text, `generate_images` for images). The tokens are identical, with and without
 * guidance, on two seeds.
 */
const SPECS: readonly SyntheticJanusSpec[] = [SMALL_JANUS_SPEC, { ...SMALL_JANUS_SPEC, seed: 'janus-2', numLayers: 3 }];
const GRID = SMALL_JANUS_SPEC.generationGrid;
const ids = janusSpecialIds(SMALL_JANUS_SPEC);
const TEXT_PROMPT = [ids.bos, 5, 9, 13, 22];
const IMAGE_PROMPT = [ids.bos, 7, 30, 2, ids.beginOfImage];
const TEXT_TOKENS = 12;

describe('a Janus folder decodes like transformers.js', () => {
  let root: string;
  const folder = (index: number): string => join(root, `janus-${index}`);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-peers-'));
    SPECS.forEach((spec, index) => writeSyntheticJanusFolder(folder(index), spec));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const [index] of SPECS.entries()) {
    for (const guidance of [undefined, 3]) {
      const label = `seed ${index}, ${guidance === undefined ? 'no guidance' : `guidance ${guidance}`}`;

      it(`text: the same tokens as generate (${label})`, async () => {
        const theirs = await transformersJsJanusText(folder(index), { prompt: TEXT_PROMPT, maxNew: TEXT_TOKENS, ...(guidance === undefined ? {} : { guidance }) });
        const ours = await ourJanusGreedy(folder(index), { prompt: TEXT_PROMPT, modality: 'text', length: TEXT_TOKENS, grid: GRID, ...(guidance === undefined ? {} : { guidance }) });
        expect(theirs.length).toBeGreaterThan(0);
        expect(ours).toEqual(theirs);
      });

      it(`image: the same codes as generate_images (${label})`, async () => {
        const theirs = await transformersJsJanusImage(folder(index), IMAGE_PROMPT, GRID * GRID, guidance);
        const ours = await ourJanusGreedy(folder(index), { prompt: IMAGE_PROMPT, modality: 'image', length: GRID * GRID, grid: GRID, ...(guidance === undefined ? {} : { guidance }) });
        expect(theirs.ids).toHaveLength(GRID * GRID);
        expect(ours).toEqual(theirs.ids);
      });
    }
  }
});
