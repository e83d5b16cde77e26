import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanusImageDecoder } from '../src/backends/onnx/janus/janus-image-decoder.ts';
import { janusSessionTableFrom } from '../src/backends/onnx/janus/janus-session-table-config.ts';
import { JanusTransformer } from '../src/backends/onnx/janus/janus-transformer.ts';
import { ModelFileError } from '../src/core/errors.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { janusIdSpace } from './support/janus-ours.ts';

/**
 * A session table that disagrees with itself or with the folder is refused with the graph, the
 * name and the expected ones: a head the table or the folder lacks, a graph whose I/O names differ
 * from the declared ones (missing, or an input nothing would feed), graphs that do not connect.
 */
const CONFIG = '/models/janus/config.json';
const table = (section: unknown): unknown => janusSessionTableFrom({ omnidecode: section }, CONFIG);

describe('a session table that disagrees', () => {
  let root: string;
  const folder = (): string => join(root, 'janus');
  const withSection = (name: string, section: unknown): string => {
    const dir = join(root, name);
    writeSyntheticJanusFolder(dir);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, omnidecode: section }));
    return dir;
  };
  const load = (dir: string): Promise<JanusTransformer> =>
    JanusTransformer.load(dir, { ids: janusIdSpace(folder(), SMALL_JANUS_SPEC.generationGrid), maxPositions: SMALL_JANUS_SPEC.maxPositions });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-bad-table-'));
    writeSyntheticJanusFolder(folder());
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('naming a head it does not declare', () => {
    expect(() => table({ heads: { image: 'gen_head_v2' } })).toThrow(ModelFileError);
    expect(() => table({ heads: { image: 'gen_head_v2' } })).toThrow(/heads\.image names "gen_head_v2", which the session table does not declare as a head \(its graphs: .*lm_head.*\); declare it under sessions/u);
  });

  it('naming one graph as both heads', () => {
    expect(() => table({ heads: { image: 'lm_head' } })).toThrow(/heads\.text and heads\.image both name "lm_head"/u);
  });

  it('naming a head the folder lacks: the graph and its file, before any graph is opened', async () => {
    const dir = withSection('missing-head', { sessions: { gen_head_v2: { file: 'onnx/gen_head_v2.onnx', inputs: [], outputs: ['logits'] } }, heads: { image: 'gen_head_v2' } });
    await expect(load(dir)).rejects.toThrow(/model file missing: gen_head_v2 \(.*onnx\/gen_head_v2\.onnx\)/u);
  });

  it('declaring an input the graph does not have', async () => {
    const dir = withSection('renamed-input', { sessions: { language_model: { inputs: ['inputs_embeds', 'attention_mask', 'positions'] } } });
    const loading = load(dir);
    await expect(loading).rejects.toBeInstanceOf(ModelFileError);
    await expect(loading).rejects.toThrow(/graph language_model has no input "positions" \(its inputs: inputs_embeds, attention_mask, position_ids, past_key_values.*\); the session table declares inputs_embeds, attention_mask, positions/u);
  });

  it('leaving out an input the graph takes', async () => {
    const dir = withSection('undeclared-input', { sessions: { gen_img_embeds: { file: 'onnx/prepare_inputs_embeds.onnx', inputs: ['input_ids'] } } });
    await expect(load(dir)).rejects.toThrow(/graph gen_img_embeds takes input "pixel_values", which the session table does not declare \(declared: input_ids\); nothing would feed it/u);
  });

  it('declaring an output the graph does not give', async () => {
    const dir = withSection('renamed-output', { sessions: { image_decode: { outputs: ['pixels'] } } });
    await expect(JanusImageDecoder.load(dir)).rejects.toThrow(/graph image_decode has no output "pixels" \(its outputs: decoded_image\)/u);
  });

  it('whose embedders do not feed the language model', () => {
    expect(() => table({ sessions: { gen_img_embeds: { outputs: ['embeds'] } } }))
      .toThrow(/gen_img_embeds's output "embeds" does not feed language_model, whose embeddings input is "inputs_embeds"/u);
  });

  it('whose heads do not take the language model\'s hidden state', () => {
    expect(() => table({ sessions: { language_model: { outputs: ['hidden'] }, lm_head: { inputs: ['last_hidden_state'] } } }))
      .toThrow(/lm_head's input "last_hidden_state" is not language_model's hidden-state output "hidden"/u);
  });

  it('listing the wrong number of names for a role', () => {
    expect(() => table({ sessions: { prepare_inputs_embeds: { inputs: ['input_ids', 'pixel_values'] } } }))
      .toThrow(/prepare_inputs_embeds\.inputs lists 2 names \(input_ids, pixel_values\); its role takes 4: text ids, pixel values, image-position mask, image-embedding mask/u);
  });

  it('with a graph of no role, a file outside the folder or an unknown field', () => {
    expect(() => table({ sessions: { vision_tower: { file: 'onnx/v.onnx', inputs: [], outputs: [] } } })).toThrow(/graph vision_tower has no role/u);
    expect(() => table({ sessions: { lm_head: { file: '../elsewhere/lm_head.onnx' } } })).toThrow(/omnidecode\.sessions\.lm_head\.file.*a path inside the model folder/u);
    expect(() => table({ session: {} })).toThrow(/omnidecode\.session: .*only sessions and heads/u);
  });
});
