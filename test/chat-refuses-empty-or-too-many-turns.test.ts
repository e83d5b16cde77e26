import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { MAX_CHAT_TURNS } from '../src/pipeline/chat-options.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModel, runChatCli } from './support/chat-cli.ts';

describe('chat turns', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await loadChatModel(); });
  afterAll(async () => { await pipeline.dispose(); });

  it.each([
    [['draw a bag', '   '], 'turns[1]', 'turn 2 is empty: every turn needs words'],
    [[''], 'turns[0]', 'turn 1 is empty: every turn needs words'],
    [[], 'turns', `turns: got 0, expected 1 to ${MAX_CHAT_TURNS} user turns`],
    [new Array<string>(MAX_CHAT_TURNS + 1).fill('draw a bag'), 'turns', `turns: got ${MAX_CHAT_TURNS + 1}, expected 1 to ${MAX_CHAT_TURNS} user turns`],
    [['draw a bag', 7], 'turns[1]', 'turns[1]: got 7, expected a string'],
  ])('%j is refused naming the turn', async (turns, what, message) => {
    const error = await pipeline.chat(turns as string[]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).what).toBe(what);
    expect((error as InputError).message).toMatch(new RegExp(`^${message.replace(/[()[\]]/g, '\\$&')}`));
  });

  it('the CLI with no turn asks for one and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'omni-chat-')), 'chat');
    const { code, stderr } = await runChatCli(['-o', out]);
    expect(code).toBe(1);
    expect(stderr).toContain('turns is required: one or more user turns');
    expect(existsSync(out)).toBe(false);
  });
});
