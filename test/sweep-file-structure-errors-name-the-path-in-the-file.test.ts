import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { parseSweepFile } from '../src/sweeps/sweep-file.ts';
import { readSweepFile } from '../src/sweeps/read-sweep-file.ts';
import { SWEEP_LIMITS } from '../src/sweeps/sweep-limits.ts';
import { thrown } from './support/thrown.ts';
import { writeTinySweep } from './support/tiny-sweep.ts';

/**
 * A sweep file's structure is checked before anything loads, and each refusal names the path in
 * the file the user wrote: an empty or missing grid, a grid entry without a scheduler, an empty
 * list, a repeated seed, an unknown field, and a sweep over the job or setting limits.
 */
const base = { prompts: { perClass: true }, imagesPerSetting: 10, grid: [{ scheduler: 'maskgit', steps: [4, 8] }] };

function refusal(raw: unknown): ConfigError {
  return thrown(ConfigError, () => parseSweepFile(raw, '/sweeps'));
}

describe('sweep file structure', () => {
  it('accepts a well-formed file and reads the per-class prompt set, default seed and model', () => {
    const file = parseSweepFile(base, '/sweeps');
    expect(file.prompts).toEqual({ kind: 'per-class' });
    expect(file.seeds).toEqual([0]);
    expect(file.model).toBeNull();
    expect(file.grid[0]?.parameters).toEqual([{ key: 'steps', values: [4, 8], list: true }]);
  });

  it('refuses an empty grid and a missing one', () => {
    expect(refusal({ ...base, grid: [] }).what).toBe('grid');
    expect(refusal({ ...base, grid: [] }).message).toMatch(/grid is empty/);
    expect(refusal({ ...base, grid: undefined }).message).toMatch(/grid is required/);
  });

  it('names the entry and field: a missing scheduler, an empty list, a bad key', () => {
    expect(refusal({ ...base, grid: [{ scheduler: 'maskgit' }, { steps: 4 }] }).what).toBe('grid[1].scheduler');
    expect(refusal({ ...base, grid: [{ scheduler: 'maskgit', steps: [] }] }).what).toBe('grid[0].steps');
    expect(refusal({ ...base, grid: [{ scheduler: 'maskgit', 'bad key': 1 }] }).what).toBe('grid[0].bad key');
  });

  it('names seeds and prompts by index, and an unknown top-level field by name', () => {
    expect(refusal({ ...base, seeds: [1, 2, 1] }).what).toBe('seeds[2]');
    expect(refusal({ ...base, seeds: [0, -3] }).what).toBe('seeds[1]');
    expect(refusal({ ...base, prompts: ['a bag', 7] }).what).toBe('prompts[1]');
    expect(refusal({ ...base, imagesPerSetting: 0 }).what).toBe('imagesPerSetting');
    expect(refusal({ ...base, steps: 4 }).what).toBe('steps');
  });

  it('refuses more jobs than the limit, with the product that got there', () => {
    const error = refusal({ ...base, imagesPerSetting: SWEEP_LIMITS.jobs / 2 + 1, grid: [{ scheduler: 'maskgit', steps: [4, 8] }] });
    expect(error.what).toBe('grid × seeds × imagesPerSetting');
    expect(error.message).toMatch(/2 setting\(s\) × 1 seed\(s\) × 100,001 image\(s\) = 200,002 jobs, over the limit of 200,000/);
  });

  it('refuses a grid that expands past the settings limit, naming the entry, before expanding it', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const error = refusal({ ...base, imagesPerSetting: 1, grid: [{ scheduler: 'maskgit', steps: [4] }, { scheduler: 'maskgit', a: values, b: values, c: values }] });
    expect(error.what).toBe('grid[1]');
    expect(error.message).toMatch(/more than 10,000 settings/);
  });

  it('names the file when read from disk', async () => {
    const { dir } = writeTinySweep();
    const path = join(dir, 'empty-grid.yaml');
    writeFileSync(path, 'prompts: { perClass: true }\nimagesPerSetting: 1\ngrid: []\n');
    await expect(readSweepFile(path)).rejects.toThrow(`${path}: grid is empty`);
  });
});
