import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { SweepJobResult } from '../src/sweeps/sweep-job.ts';
import { writeTinySweep } from './support/tiny-sweep.ts';

/**
 * `--resume` reads the ids in jobs.jsonl and runs only the jobs missing from it: a sweep cut after
 * some jobs (its last line half-written) ends with every job exactly once, the half line dropped and
 * its job run again; resuming a finished sweep runs nothing and adds no line.
 */
function lines(dir: string): SweepJobResult[] {
  return readFileSync(join(dir, 'jobs.jsonl'), 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as SweepJobResult);
}

describe('sweep --resume', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('finishes a cut sweep with the missing jobs only, each line once', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { dir, path, jobs } = writeTinySweep();
    const out = join(dir, 'results');
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--threads', '1'])).toBe(0);
    const complete = lines(out);
    const byId = new Map(complete.map((r) => [r.id, r.tokensHash]));

    // As if killed after five jobs, in the middle of writing the sixth line.
    const kept = complete.slice(0, 5);
    writeFileSync(join(out, 'jobs.jsonl'), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    appendFileSync(join(out, 'jobs.jsonl'), JSON.stringify(complete[5]).slice(0, 40));
    stderr = '';
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--resume', '--threads', '1'])).toBe(0);
    expect(stderr).toMatch(/resume: 5 of 12 jobs already in .*; a last line cut short \(40 bytes\) is dropped/);
    expect(stderr).toMatch(/this run: 7 in/);
    const resumed = lines(out);
    expect(resumed).toHaveLength(jobs);
    expect(resumed.slice(0, 5)).toEqual(kept);
    expect(new Set(resumed.map((r) => r.id)).size).toBe(jobs);
    for (const result of resumed) expect(result.tokensHash).toBe(byId.get(result.id));

    stderr = '';
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--resume', '--threads', '1'])).toBe(0);
    expect(stderr).toMatch(/resume: 12 of 12 jobs already in/);
    expect(stderr).toMatch(/this run: 0 in/);
    expect(lines(out)).toEqual(resumed);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { jobs: { finished: number; missing: number } };
    expect(summary.jobs).toMatchObject({ finished: jobs, missing: 0 });
  });
});
