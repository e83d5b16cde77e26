import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { writeShowOFolder } from '../src/synthetic/show-o-folder.ts';
import { encodePng } from '../src/tokenizers/png-image.ts';

/** Show-o's layout has no evaluation classifier and no editing layout: the tasks that need them say so. */

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  return () => text;
}

describe('a Show-o-shaped folder refuses the tasks it lacks', () => {
  let root: string;
  let folder: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omni-show-o-lacks-'));
    folder = join(root, 'show-o');
    writeShowOFolder(folder, { seed: 3 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => { vi.restoreAllMocks(); });

  it('evaluate names the missing classifier block of config.json', async () => {
    const stderr = capture(process.stderr);
    expect(await main(['node', 'omnidecode', 'evaluate', 'describe', '--model', folder, '--count', '1'])).toBe(1);
    expect(stderr()).toContain(`${join(folder, 'config.json')} has no classifier: evaluation needs one (classifier: { file, classes, fidStats }`);
  });

  it('edit says the model has no editing layout, and writes nothing', async () => {
    const image = join(root, 'in.png');
    writeFileSync(image, encodePng({ width: 32, height: 32, channels: 3, pixels: new Float32Array(32 * 32 * 3).fill(0.5) }));
    const output = join(root, 'out.png');
    const stderr = capture(process.stderr);
    expect(await main(['node', 'omnidecode', 'edit', '--model', folder, image, 'make it red', '-o', output])).toBe(1);
    expect(stderr()).toContain('this model cannot edit: its config.json has no editing layout (<|edit|> among vocabulary.specialTokens and prompts.editPromptLength)');
    expect(existsSync(output)).toBe(false);
  });
});
