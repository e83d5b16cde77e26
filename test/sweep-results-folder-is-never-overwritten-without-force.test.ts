import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { writeTinySweep } from './support/tiny-sweep.ts';

/**
 * An existing results folder is refused, untouched, unless --resume (finish it) or --force (start
 * over: the sweep's own files replaced, any other file in the folder kept); the two together are
 * refused as contradictory; all before the model loads.
 */
describe('sweep results folder', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('refuses an existing folder without --force and replaces only the sweep\'s files with it', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { dir, path, jobs } = writeTinySweep();
    const out = join(dir, 'results');
    mkdirSync(out);
    writeFileSync(join(out, 'jobs.jsonl'), 'precious\n');
    writeFileSync(join(out, 'notes.txt'), 'mine');

    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out])).toBe(1);
    expect(stderr).toMatch(/already exists; pass --resume .* or --force/);
    expect(readFileSync(join(out, 'jobs.jsonl'), 'utf8')).toBe('precious\n');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    stderr = '';
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--force', '--resume'])).toBe(1);
    expect(stderr).toMatch(/--force .* and --resume .* contradict each other/);
    expect(readFileSync(join(out, 'jobs.jsonl'), 'utf8')).toBe('precious\n');

    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', file, '--force'])).toBe(1);
    expect(stderr).toMatch(/exists and is not a folder/);

    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--force', '--threads', '1'])).toBe(0);
    expect(readFileSync(join(out, 'jobs.jsonl'), 'utf8').trim().split('\n')).toHaveLength(jobs);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
