import { readFileSync, renameSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanusTransformer } from '../src/backends/onnx/janus/janus-transformer.ts';
import { readJanusSessionTable } from '../src/backends/onnx/janus/janus-session-table-config.ts';
import { DEFAULT_JANUS_SESSION_TABLE } from '../src/backends/onnx/janus/janus-session-table.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { janusSpecialIds } from '../src/synthetic/janus/janus-spec.ts';
import { janusIdSpace, ourJanusGreedy } from './support/janus-ours.ts';

/**
 * A Janus folder's graphs are data: without an omnidecode section its table is transformers.js's
 * layout; a config.json that moves the heads to other files and names them as heads loads those
 * files, and decodes the same tokens as the default layout of the same weights.
 */
const ids = janusSpecialIds(SMALL_JANUS_SPEC);
const PROMPT = [ids.bos, 5, 9, 13];

describe('the session table comes from the folder', () => {
  let root: string;
  const plain = (): string => join(root, 'plain');
  const moved = (): string => join(root, 'moved');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-table-'));
    writeSyntheticJanusFolder(plain());
    writeSyntheticJanusFolder(moved());
    renameSync(join(moved(), 'onnx', 'lm_head.onnx'), join(moved(), 'onnx', 'text_head.onnx'));
    renameSync(join(moved(), 'onnx', 'gen_head.onnx'), join(moved(), 'image_head.onnx'));
    const config = JSON.parse(readFileSync(join(moved(), 'config.json'), 'utf8')) as Record<string, unknown>;
    config.omnidecode = {
      sessions: {
        text_head: { file: 'onnx/text_head.onnx', inputs: ['hidden_states'], outputs: ['logits'] },
        gen_head: { file: 'image_head.onnx' },
      },
      heads: { text: 'text_head' },
    };
    writeFileSync(join(moved(), 'config.json'), JSON.stringify(config));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is the default layout when config.json has no omnidecode section', async () => {
    expect(await readJanusSessionTable(plain())).toEqual(DEFAULT_JANUS_SESSION_TABLE);
  });

  it('lays the folder\'s entries over the default', async () => {
    const table = await readJanusSessionTable(moved());
    expect(table.heads).toEqual({ text: 'text_head', image: 'gen_head' });
    expect(table.graphs.text_head?.file).toBe('onnx/text_head.onnx');
    expect(table.graphs.gen_head).toEqual({ file: 'image_head.onnx', inputs: [], outputs: ['logits'] });
    expect(table.graphs.lm_head).toBeUndefined();
  });

  it('loads the declared files and decodes what the default layout decodes', async () => {
    const text = { prompt: PROMPT, modality: 'text', length: 6, grid: SMALL_JANUS_SPEC.generationGrid } as const;
    const image = { prompt: [ids.bos, 5, ids.beginOfImage], modality: 'image', length: 16, grid: SMALL_JANUS_SPEC.generationGrid } as const;
    expect(await ourJanusGreedy(moved(), text)).toEqual(await ourJanusGreedy(plain(), text));
    expect(await ourJanusGreedy(moved(), image)).toEqual(await ourJanusGreedy(plain(), image));
    // The default table no longer fits the moved folder: its lm_head file is gone.
    const loading = JanusTransformer.load(moved(), {
      ids: janusIdSpace(moved(), SMALL_JANUS_SPEC.generationGrid), maxPositions: SMALL_JANUS_SPEC.maxPositions, table: DEFAULT_JANUS_SESSION_TABLE,
    });
    await expect(loading).rejects.toThrow(/lm_head \(.*lm_head\.onnx\)/u);
  });
});
