import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanusPipeline } from '../src/pipeline/janus/janus-pipeline.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { transformersJsJanusImage, transformersJsJanusPromptIds, transformersJsJanusText } from './support/janus-transformers-js.ts';

/**
 * JanusPipeline builds its prompts from the folder's own tokenizer, chat templates and processor
 * config as transformers.js's VLChatProcessor does ("text_to_image" for images, "default" for
 * text), and greedy decoding of those prompts gives generate_images' codes and generate's ids.
 */
const PROMPT = 'w5 w9 w13';
const GRID = SMALL_JANUS_SPEC.generationGrid;

describe('JanusPipeline prompts and tokens match transformers.js', () => {
  let root: string;
  let folder: string;
  let pipeline: JanusPipeline;
  const greedy = { options: { sampler: { draw: 'greedy' } } } as const;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-pipeline-'));
    folder = join(root, 'janus');
    writeSyntheticJanusFolder(folder);
    pipeline = await JanusPipeline.load({ model: folder });
  });
  afterAll(async () => {
    await pipeline.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('text -> image: the processor\'s text_to_image ids, then generate_images\' codes', async () => {
    const ids = await transformersJsJanusPromptIds(folder, PROMPT, 'text_to_image');
    const ours = await pipeline.generateImage(PROMPT, greedy);
    expect(ours.promptIds).toEqual(ids);
    const theirs = await transformersJsJanusImage(folder, ids, GRID * GRID);
    expect(ours.codes).toEqual([theirs.ids]);
    expect([ours.images[0]?.width, ours.images[0]?.height]).toEqual([theirs.width, theirs.height]);
    expect(Array.from(ours.images[0]?.rgb ?? [])).toEqual(Array.from(theirs.pixels));
  });

  it('text: the processor\'s default ids, then generate\'s ids', async () => {
    const ids = await transformersJsJanusPromptIds(folder, PROMPT, 'default');
    const ours = await pipeline.complete(PROMPT, { ...greedy, maxTokens: 10 });
    expect(ours.promptIds).toEqual(ids);
    expect(ours.ids).toEqual(await transformersJsJanusText(folder, { prompt: ids, maxNew: 10 }));
  });

  it('a prompt word the tokenizer lacks is refused, naming it, before decoding', async () => {
    await expect(pipeline.generateImage('w5 zebra')).rejects.toThrow(/unknown word "zebra"/u);
  });
});
