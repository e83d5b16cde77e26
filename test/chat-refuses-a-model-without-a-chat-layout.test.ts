import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { CHAT_MODEL_DIR } from './support/chat-cli.ts';

/** The chat model's folder with prompts.chat removed from its config.json (the graphs linked, not copied). */
function folderWithoutChat(): string {
  const dir = mkdtempSync(join(tmpdir(), 'omni-nochat-'));
  for (const entry of ['onnx', 'tokenizer.json', 'eval', 'fid-stats.json']) symlinkSync(join(CHAT_MODEL_DIR, entry), join(dir, entry));
  const config = JSON.parse(readFileSync(join(CHAT_MODEL_DIR, 'config.json'), 'utf8')) as { prompts: Record<string, unknown> };
  delete config.prompts.chat;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('a model whose config.json has no prompts.chat', () => {
  let dir: string;
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => {
    dir = folderWithoutChat();
    pipeline = await OmnidecodePipeline.load({ model: dir, threads: 1 });
  });
  afterAll(async () => { await pipeline.dispose(); });

  it('cannot chat: refused naming the model folder', async () => {
    const error = await pipeline.chat('draw a bag').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).what).toBe('chat');
    expect((error as InputError).message).toBe(`the model in ${dir} cannot chat: its config.json has no prompts.chat (a model trained on the chat layout has one; see docs/model-format.md)`);
  });
});
