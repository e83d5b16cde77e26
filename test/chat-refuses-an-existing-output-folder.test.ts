import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChatCli } from './support/chat-cli.ts';

describe('omnidecode chat -o OUT where OUT exists', () => {
  it('is refused without --force, the folder untouched', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-chat-'));
    const out = join(parent, 'chat');
    mkdirSync(out);
    writeFileSync(join(out, 'chat.md'), 'an earlier chat');
    const { code, stderr } = await runChatCli(['draw a bag', '-o', out]);
    expect(code).toBe(1);
    expect(stderr).toBe(`omnidecode: ${out} already exists; pass --force to replace it\n`);
    expect(readdirSync(out)).toEqual(['chat.md']);
    expect(readFileSync(join(out, 'chat.md'), 'utf8')).toBe('an earlier chat');
    expect(readdirSync(parent)).toEqual(['chat']);
  });

  it('with --force, still refused when the folder holds files a chat did not write', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'omni-chat-')), 'chat');
    mkdirSync(out);
    writeFileSync(join(out, 'thesis.tex'), 'precious');
    const { code, stderr } = await runChatCli(['draw a bag', '-o', out, '--force']);
    expect(code).toBe(1);
    expect(stderr).toContain('holds a file this command did not write ("thesis.tex")');
    expect(readFileSync(join(out, 'thesis.tex'), 'utf8')).toBe('precious');
  });
});
