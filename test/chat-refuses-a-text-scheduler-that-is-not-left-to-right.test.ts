import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModel, runChatCli } from './support/chat-cli.ts';

describe('a chat whose text scheduler does not decode left to right', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await loadChatModel(); });
  afterAll(async () => { await pipeline.dispose(); });

  it('is refused naming textScheduler and the kind it must be, before any forward', async () => {
    let forwards = 0;
    const error = await pipeline.chat('draw a bag', { textScheduler: { name: 'maskgit' }, onStep: () => { forwards += 1; } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).what).toBe('textScheduler');
    expect((error as InputError).message).toMatch(/^textScheduler: "maskgit" cannot write a chat answer: expected a left-to-right \(append\) text scheduler such as autoregressive/);
    expect(forwards).toBe(0);
  });

  it('the CLI names --text-scheduler and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'omni-chat-')), 'chat');
    const { code, stderr } = await runChatCli(['draw a bag', '--text-scheduler', 'maskgit', '-o', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^omnidecode: --text-scheduler \(textScheduler\): "maskgit" cannot write a chat answer/);
    expect(existsSync(out)).toBe(false);
  });
});
