import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { runConfig } from '../src/node/run-config.ts';
import { CHAT_MODEL_DIR } from './support/chat-cli.ts';

interface ChatJson {
  readonly schedulers: { image: { name: string; options: Record<string, unknown> }; text: { name: string; options: Record<string, unknown> } };
  readonly turns: ReadonlyArray<{ parts: ReadonlyArray<{ kind: string }> }>;
}

const config = (output: string): string => `
model: ${CHAT_MODEL_DIR}
seed: 4
schedulers:
  image: { name: autoregressive, sampler: { draw: greedy } }
  text: { name: autoregressive, sampler: { draw: greedy, temperature: 0.5 } }
task:
  type: chat
  turns: [draw a bag and say what it is]
  output: ${output}
`;

describe('a config file\'s chat task', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('decodes the images by schedulers.image and the words by schedulers.text; --scheduler overrides the image one', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const dir = mkdtempSync(join(tmpdir(), 'omni-chat-config-'));
    const file = join(dir, 'chat.yaml');
    writeFileSync(file, config('from-file'));
    expect(await main(['node', 'omnidecode', 'run', file])).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'from-file', 'chat.json'), 'utf8')) as ChatJson;
    expect(written.schedulers.image).toEqual({ name: 'autoregressive', options: { sampler: { draw: 'greedy' }, guidance: 2 } });
    expect(written.schedulers.text).toEqual({ name: 'autoregressive', options: { sampler: { draw: 'greedy', temperature: 0.5 } } });
    expect(written.turns[0]?.parts.some((part) => part.kind === 'image')).toBe(true);

    expect(await main(['node', 'omnidecode', 'run', file, '--scheduler', 'maskgit', '--steps', '4', '-o', join(dir, 'flagged')])).toBe(0);
    const flagged = JSON.parse(readFileSync(join(dir, 'flagged', 'chat.json'), 'utf8')) as ChatJson;
    expect(flagged.schedulers.image.name).toBe('maskgit');
    expect(flagged.schedulers.image.options.steps).toBe(4);
    expect(flagged.schedulers.text.name).toBe('autoregressive');
  });

  it('runConfig runs the same object and returns the chat in memory', async () => {
    const result = await runConfig({
      model: CHAT_MODEL_DIR, seed: 4, schedulers: { image: { name: 'maskgit', steps: 4 } },
      task: { type: 'chat', turns: ['draw a bag and say what it is'], output: 'unused' },
    });
    expect(result.type).toBe('chat');
    if (result.type !== 'chat') return;
    expect(result.run.turns).toHaveLength(1);
    expect(result.run.tokens.length).toBeGreaterThan(0);
  });
});
