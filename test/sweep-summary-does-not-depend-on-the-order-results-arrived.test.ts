import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { writeTinySweep } from './support/tiny-sweep.ts';

interface Summary { readonly settings: readonly { readonly fid: number | null; readonly accuracy: number | null }[] }

/** Workers finish jobs in any order: the summary pools features in the plan's order, so it is the same to the last digit. */
describe('the sweep summary', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('gives the same FID when jobs.jsonl holds the same results in reverse order', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { dir, path } = writeTinySweep();
    const out = join(dir, 'results');
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--threads', '1'])).toBe(0);
    const first = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    const jobsPath = join(out, 'jobs.jsonl');
    const lines = readFileSync(jobsPath, 'utf8').split('\n').filter((line) => line !== '');
    writeFileSync(jobsPath, `${[...lines].reverse().join('\n')}\n`);
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--resume', '--threads', '1'])).toBe(0);
    const reversed = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(first.settings.every((setting) => setting.fid !== null)).toBe(true);
    expect(reversed.settings.map((setting) => setting.fid)).toEqual(first.settings.map((setting) => setting.fid));
    expect(reversed.settings.map((setting) => setting.accuracy)).toEqual(first.settings.map((setting) => setting.accuracy));
  });
});
