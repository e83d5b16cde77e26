import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { SweepJobRunner } from '../src/sweeps/job-runner.ts';
import { readSweepFile } from '../src/sweeps/read-sweep-file.ts';
import type { SweepJobResult } from '../src/sweeps/sweep-job.ts';
import { loadSweepModel } from '../src/sweeps/sweep-model.ts';
import { planSweep } from '../src/sweeps/sweep-plan.ts';
import { writeTinySweep } from './support/tiny-sweep.ts';

/**
 * `omnidecode sweep` without a queue runs every job in this process and writes jobs.jsonl (one line
 * per job), summary.json and summary.md; a second run gives every job the same tokens, and so does
 * a separately loaded runner taking the jobs in the opposite order (each job has its own stream).
 */
function lines(dir: string): SweepJobResult[] {
  return readFileSync(join(dir, 'jobs.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as SweepJobResult);
}

describe('in-process sweep', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('writes the results folder, and a re-run and another runner repeat every job\'s tokens', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { dir, path, jobs } = writeTinySweep();
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', first, '--threads', '1'])).toBe(0);
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', second, '--threads', '1'])).toBe(0);

    const results = lines(first);
    expect(results).toHaveLength(jobs);
    expect(new Set(results.map((r) => r.id)).size).toBe(jobs);
    for (const result of results) {
      expect(result.tokensHash).toMatch(/^[0-9a-f]{64}$/);
      expect(result.forwards).toBe(result.settingLabel.includes('steps=2') ? 3 : 5);
      expect(result.features).toHaveLength(64);
      expect(result.ranBy).toBe('in-process');
    }
    const hashes = (list: SweepJobResult[]): Map<string, string> => new Map(list.map((r) => [r.id, r.tokensHash]));
    expect(hashes(lines(second))).toEqual(hashes(results));
    // Different images per seed and image index (not one stream reused).
    expect(new Set(results.filter((r) => r.setting === 0).map((r) => r.tokensHash)).size).toBeGreaterThan(1);

    const summary = JSON.parse(readFileSync(join(first, 'summary.json'), 'utf8')) as {
      jobs: { planned: number; finished: number }; settings: { label: string; images: number; accuracy: number | null; fid: number | null; forwardsPerImage: number }[];
    };
    expect(summary.jobs).toMatchObject({ planned: jobs, finished: jobs });
    expect(summary.settings.map((s) => [s.label, s.images, s.forwardsPerImage])).toEqual([['maskgit steps=2 guidance=0', 6, 3], ['maskgit steps=4 guidance=0', 6, 5]]);
    // "a sneaker" and "a bag" are class prompts: accuracy is known; six images give a (biased) FID.
    for (const setting of summary.settings) {
      expect(setting.accuracy).not.toBeNull();
      expect(setting.fid).toBeGreaterThan(0);
    }
    expect(readFileSync(join(first, 'summary.md'), 'utf8')).toMatch(/\| maskgit steps=4 guidance=0 \| grid\[0\] \| 6\/6 \|/);
    expect(existsSync(join(first, 'quality-chart.svg'))).toBe(true);
    expect(stdout.mock.calls.map((call) => String(call[0])).join('')).toMatch(/maskgit steps=2 guidance=0: 6 images/);

    const model = await loadSweepModel({ threads: 1 });
    try {
      const plan = planSweep(await readSweepFile(path), model.pipeline, model.modelHash);
      const runner = SweepJobRunner.over(model, 'other');
      const again = new Map<string, string>();
      for (const job of [...plan.jobs].reverse()) again.set(job.id, (await runner.run(job)).tokensHash);
      expect(again).toEqual(hashes(results));
    } finally {
      await model.dispose();
    }
  });
});
