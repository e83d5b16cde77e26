import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSweepFile } from '../src/sweeps/read-sweep-file.ts';
import { loadSweepModel, type SweepModel } from '../src/sweeps/sweep-model.ts';
import { planSweep } from '../src/sweeps/sweep-plan.ts';

/**
 * The sweep files shipped as examples and run by the bench are valid against the registry (their
 * plugins loaded) and plan the jobs their comments promise: examples/sweep.yaml is two settings of
 * ten images, one per class.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const sweepFiles = [
  ...readdirSync(join(root, 'examples')).filter((name) => /(^|\.)sweep\.(ya?ml|json)$/.test(name)).map((name) => join(root, 'examples', name)),
  ...readdirSync(join(root, 'bench')).filter((name) => /\.sweep\.(ya?ml|json)$/.test(name)).map((name) => join(root, 'bench', name)),
];

describe('shipped sweep files', () => {
  const models = new Map<string, SweepModel>();
  beforeAll(() => { expect(sweepFiles.length).toBeGreaterThanOrEqual(1); });
  afterAll(async () => { for (const model of models.values()) await model.dispose(); });

  it.each(sweepFiles)('%s plans its jobs', async (path) => {
    const file = await readSweepFile(path);
    const model = await loadSweepModel({ model: file.model, plugins: file.plugins, baseDir: file.baseDir, threads: 1 });
    models.set(path, model);
    const plan = planSweep(file, model.pipeline, model.modelHash);
    expect(plan.jobs.length).toBe(plan.settings.length * file.seeds.length * file.imagesPerSetting);
  });

  it('examples/sweep.yaml is two settings of ten images, one per class', async () => {
    const path = join(root, 'examples', 'sweep.yaml');
    const file = await readSweepFile(path);
    const model = models.get(path) ?? await loadSweepModel({ threads: 1 });
    if (!models.has(path)) models.set(path, model);
    const plan = planSweep(file, model.pipeline, model.modelHash);
    expect(plan.settings).toHaveLength(2);
    expect(plan.jobs).toHaveLength(20);
    expect(plan.jobs.filter((job) => job.setting === 0).map((job) => job.classIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
