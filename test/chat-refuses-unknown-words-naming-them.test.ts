import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModel, runChatCli } from './support/chat-cli.ts';

describe('a chat turn with words the vocabulary lacks', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await loadChatModel(); });
  afterAll(async () => { await pipeline.dispose(); });

  it('is refused before decoding, naming the words and the turn', async () => {
    let forwards = 0;
    const error = await pipeline.chat(['draw a sandal', 'make it purple please'], { onStep: () => { forwards += 1; } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).what).toBe('turns[1]');
    expect((error as InputError).message).toMatch(/^turn 2 \("make it purple please"\): unknown words "purple".*"please"/);
    expect(forwards).toBe(0);
  });

  it('the CLI says so and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'omni-chat-')), 'chat');
    const { code, stderr } = await runChatCli(['draw a purple bag', '-o', out]);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown word "purple"');
    expect(stderr).toContain('--unknown-words unk');
    expect(existsSync(out)).toBe(false);
  });
});
