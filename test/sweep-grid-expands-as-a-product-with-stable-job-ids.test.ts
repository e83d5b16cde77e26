import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/sweeps/canonical-json.ts';
import { expandGrid } from '../src/sweeps/grid-expansion.ts';
import { jobId } from '../src/sweeps/job-id.ts';
import { modelHash } from '../src/sweeps/model-hash.ts';
import { parseSweepFile } from '../src/sweeps/sweep-file.ts';
import { planSweep } from '../src/sweeps/sweep-plan.ts';
import { loadSweepModel, type SweepModel } from '../src/sweeps/sweep-model.ts';

/**
 * Each grid entry expands to the cartesian product of its lists (first parameter slowest), entries
 * one after the other; every job's id hashes the model, the setting (canonical options), the seed,
 * the prompt and the image index, so it is the same on every planning and differs when any of them does.
 */
describe('grid expansion and job ids', () => {
  let model: SweepModel;
  beforeAll(async () => { model = await loadSweepModel({ threads: 1 }); });
  afterAll(async () => { await model.dispose(); });

  const sweep = {
    prompts: { perClass: true }, imagesPerSetting: 4, seeds: [0, 7],
    grid: [{ scheduler: 'maskgit', steps: [4, 8], guidance: [0, 2] }, { scheduler: 'autoregressive' }],
  };

  it('expands each entry as a product, in reading order, each value with its path', () => {
    const settings = expandGrid(parseSweepFile(sweep, '/s').grid);
    expect(settings.map((s) => [s.scheduler, ...s.values.map((v) => v.value)])).toEqual([
      ['maskgit', 4, 0], ['maskgit', 4, 2], ['maskgit', 8, 0], ['maskgit', 8, 2], ['autoregressive'],
    ]);
    expect(settings[3]?.values.map((v) => v.source)).toEqual(['grid[0].steps[1]', 'grid[0].guidance[1]']);
  });

  it('plans settings × seeds × images jobs, the model defaults filled into each setting', () => {
    const plan = planSweep(parseSweepFile(sweep, '/s'), model.pipeline, model.modelHash);
    expect(plan.jobs).toHaveLength(5 * 2 * 4);
    expect(plan.settings.map((s) => s.label)).toEqual([
      'maskgit steps=4 guidance=0', 'maskgit steps=4 guidance=2', 'maskgit steps=8 guidance=0', 'maskgit steps=8 guidance=2', 'autoregressive',
    ]);
    expect(plan.settings[4]?.scheduler.options).toEqual({ guidance: model.pipeline.config.defaults.image.guidance });
    // Image k of a setting uses prompt k mod P: per class, image 3 asks for class 3.
    const job = plan.jobs.find((j) => j.setting === 1 && j.seed === 7 && j.imageIndex === 3);
    expect(job?.classIndex).toBe(3);
    expect(job?.prompt).toBe(plan.prompts[3]?.text);
    expect(new Set(plan.jobs.map((j) => j.id)).size).toBe(plan.jobs.length);
  });

  it('gives the same ids on every planning, and new ids when the model or a setting changes', async () => {
    const first = planSweep(parseSweepFile(sweep, '/s'), model.pipeline, model.modelHash);
    const again = planSweep(parseSweepFile(sweep, '/s'), model.pipeline, await modelHash(model.pipeline.folder));
    expect(again.jobs.map((j) => j.id)).toEqual(first.jobs.map((j) => j.id));
    const otherModel = planSweep(parseSweepFile(sweep, '/s'), model.pipeline, '0'.repeat(64));
    expect(otherModel.jobs.some((j, i) => j.id === first.jobs[i]?.id)).toBe(false);
    const reordered = planSweep(parseSweepFile({ ...sweep, grid: [{ scheduler: 'maskgit', guidance: [0, 2], steps: [4, 8] }] }, '/s'), model.pipeline, model.modelHash);
    // The same settings written in another key order are the same jobs (canonical options).
    expect(new Set(reordered.jobs.map((j) => j.id))).toEqual(new Set(first.jobs.filter((j) => j.setting < 4).map((j) => j.id)));
  });

  it('hashes the identity as a whole: key order never matters, every part does', () => {
    const identity = { modelHash: 'm', scheduler: { name: 'maskgit', options: { steps: 4, guidance: 2 } }, seed: 0, prompt: 'a bag', imageIndex: 0 };
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(jobId({ ...identity, scheduler: { name: 'maskgit', options: { guidance: 2, steps: 4 } } })).toBe(jobId(identity));
    const variants = [
      { ...identity, seed: 1 }, { ...identity, imageIndex: 1 }, { ...identity, prompt: 'a bag ' }, { ...identity, modelHash: 'n' },
      { ...identity, scheduler: { name: 'maskgit', options: { steps: 4, guidance: 3 } } },
    ];
    expect(new Set([identity, ...variants].map((v) => jobId(v))).size).toBe(6);
    expect(jobId(identity)).toMatch(/^[0-9a-f]{64}$/);
  });
});
