import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPng } from '../src/tokenizers/png-image.ts';
import { runChatCli } from './support/chat-cli.ts';

interface ChatJson {
  readonly turns: ReadonlyArray<{ readonly user: string; readonly parts: ReadonlyArray<{ kind: string; text?: string; file?: string; codes?: number[] }> }>;
  readonly tokens: number[];
  readonly schedulers: { image: { name: string }; text: { name: string } };
}

describe('omnidecode chat "draw a sandal and say what it is" -o OUT', () => {
  it('writes the page (HTML and Markdown) showing the turn, the words and the image in order, the PNGs and chat.json; prints the conversation', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'omni-chat-'));
    const out = join(parent, 'chat');
    const { code, stdout, stderr } = await runChatCli(['draw a sandal and say what it is', '-o', out, '--seed', '3', '--trace', '--steps', '6']);
    expect(code, stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['chat.html', 'chat.json', 'chat.md', 'image-1.png', 'trace-1.png']);
    expect(readdirSync(parent)).toEqual(['chat']);
    const json = JSON.parse(readFileSync(join(out, 'chat.json'), 'utf8')) as ChatJson;
    const [turn] = json.turns;
    expect(turn?.user).toBe('draw a sandal and say what it is');
    expect(turn?.parts.map((part) => part.kind)).toEqual(['image', 'text']);
    expect(turn?.parts[0]?.file).toBe('image-1.png');
    expect(turn?.parts[0]?.codes).toHaveLength(49);
    const caption = turn?.parts[1]?.text ?? '';
    expect(caption).toMatch(/^it is /);
    expect(json.schedulers.image.name).toBe('maskgit');
    expect(json.schedulers.text.name).toBe('autoregressive');
    // Upscaled 4x like the other commands' PNGs; the trace has one row per step (6), guess | canvas.
    const image = await readPng(join(out, 'image-1.png'));
    expect([image.width, image.height]).toEqual([112, 112]);
    const trace = await readPng(join(out, 'trace-1.png'));
    expect(trace.height).toBe((6 * 28 + 5) * 4);
    // The page shows the user's words, then the image, then the caption, in that order.
    const html = readFileSync(join(out, 'chat.html'), 'utf8');
    const order = ['draw a sandal and say what it is', '<img src="image-1.png"', caption].map((text) => html.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const markdown = readFileSync(join(out, 'chat.md'), 'utf8');
    expect(markdown).toContain('![image-1.png](image-1.png)');
    expect(markdown.indexOf('![image-1.png]')).toBeLessThan(markdown.indexOf(caption));
    expect(stdout).toBe(`you: draw a sandal and say what it is\nmodel: [${relative(process.cwd(), join(out, 'image-1.png'))}] ${caption}\n`);
    expect(stderr).toMatch(/wrote .*chat \(chat\.md, chat\.html, chat\.json, 1 image\(s\), 1 trace\(s\); \d+ forward passes/);
  });
});
