import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { SweepJobResult } from '../src/sweeps/sweep-job.ts';
import { startCli } from './support/cli-process.ts';
import { writeTinySweep } from './support/tiny-sweep.ts';

/**
 * SIGINT stops an in-process sweep between or inside jobs: the command exits 130 and says how to
 * finish, jobs.jsonl holds only whole lines of finished jobs and no summary is written; --resume then
 * finishes the sweep with every job exactly once.
 */
function lines(dir: string): SweepJobResult[] {
  if (!existsSync(join(dir, 'jobs.jsonl'))) return [];
  return readFileSync(join(dir, 'jobs.jsonl'), 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as SweepJobResult);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sweep interrupted by SIGINT', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('exits 130 with whole lines of finished jobs, and --resume finishes it', async () => {
    const { dir, path } = writeTinySweep({ imagesPerSetting: 100, seeds: [0], grid: [{ scheduler: 'maskgit', steps: [8, 16], guidance: 2 }] });
    const jobs = 200;
    const out = join(dir, 'results');
    const run = startCli(['sweep', path, '-o', out, '--threads', '1'], dir);
    await until(() => lines(out).length >= 3, 30_000);
    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/run the same command with --resume to finish the sweep/);
    const finished = lines(out);
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished.length).toBeLessThan(jobs);
    expect(readFileSync(join(out, 'jobs.jsonl'), 'utf8').endsWith('\n')).toBe(true);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--resume', '--threads', '1'])).toBe(0);
    const all = lines(out);
    expect(all).toHaveLength(jobs);
    expect(new Set(all.map((r) => r.id)).size).toBe(jobs);
    expect(all.slice(0, finished.length)).toEqual(finished);
  });
});
