import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { ConfigError } from '../src/core/errors.ts';
import { parseSweepFile } from '../src/sweeps/sweep-file.ts';
import { planSweep } from '../src/sweeps/sweep-plan.ts';
import { loadSweepModel, type SweepModel } from '../src/sweeps/sweep-model.ts';
import { thrown } from './support/thrown.ts';
import { writeTinySweep } from './support/tiny-sweep.ts';

/**
 * Every expanded setting is validated with the registry (plugins loaded) as `generate` would use it,
 * before any job runs: an unknown scheduler, an unknown parameter, a bad value in a list, a prompt the
 * tokenizer refuses and two entries that decode alike are refused naming their path in the file.
 */
describe('grid validation against the registry', () => {
  let model: SweepModel;
  beforeAll(async () => { model = await loadSweepModel({ threads: 1 }); });
  afterAll(async () => { await model.dispose(); });
  afterEach(() => { vi.restoreAllMocks(); });

  const plan = (raw: Record<string, unknown>): ConfigError => thrown(ConfigError, () => planSweep(parseSweepFile({
    prompts: { perClass: true }, imagesPerSetting: 1, ...raw,
  }, '/sweeps'), model.pipeline, model.modelHash));

  it('names an unknown scheduler and the plugin that provides it', () => {
    const error = plan({ grid: [{ scheduler: 'maskgit', steps: 4 }, { scheduler: 'halton', steps: 4 }] });
    expect(error.what).toBe('grid[1].scheduler');
    expect(error.message).toMatch(/unknown scheduler "halton".*plugins: \[halton\]/);
  });

  it('names an unknown parameter with its entry', () => {
    const error = plan({ grid: [{ scheduler: 'maskgit', steps: 4 }, { scheduler: 'maskgit', stepz: 4 }] });
    expect(error.what).toBe('grid[1].stepz');
    expect(error.message).toMatch(/unknown parameter grid\[1\]\.stepz; valid parameters: steps/);
  });

  it('names the bad value of a list by its index, including the model\'s own limits', () => {
    expect(plan({ grid: [{ scheduler: 'maskgit', guidance: [0, 2, -1] }] }).what).toBe('grid[0].guidance[2]');
    const steps = plan({ grid: [{ scheduler: 'maskgit', steps: [4, 100] }] });
    expect(steps.what).toBe('grid[0].steps[1]');
    expect(steps.message).toMatch(/at most 49/);
  });

  it('refuses two entries that decode alike once the model defaults are filled in', () => {
    const error = plan({ grid: [{ scheduler: 'maskgit', steps: [4, 12] }, { scheduler: 'maskgit' }] });
    expect(error.what).toBe('grid[1]');
    expect(error.message).toMatch(/decodes exactly as "maskgit steps=12" \(grid\[0\]\)/);
  });

  it('names a prompt the tokenizer refuses', () => {
    const error = thrown(ConfigError, () => planSweep(parseSweepFile({
      prompts: ['a bag', 'a purple elephant'], imagesPerSetting: 1, grid: [{ scheduler: 'maskgit' }],
    }, '/sweeps'), model.pipeline, model.modelHash));
    expect(error.what).toBe('prompts[1]');
  });

  it('the CLI refuses the file before any job runs: no results folder is made', async () => {
    const { dir, path } = writeTinySweep({ grid: [{ scheduler: 'maskgit', steps: [2, 4] }, { scheduler: 'maskgit', stepz: 3 }] });
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
    const out = join(dir, 'results');
    expect(await main(['node', 'omnidecode', 'sweep', path, '-o', out, '--threads', '1'])).toBe(1);
    expect(stderr).toContain(`${path}: unknown parameter grid[1].stepz`);
    expect(existsSync(out)).toBe(false);
  });
});
