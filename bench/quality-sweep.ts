import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerationStats } from '../src/core/generation-result.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { textToImageRequest } from '../src/pipeline/text-to-image-request.ts';
import { InProcessExecutor } from '../src/sweeps/in-process-executor.ts';
import { SweepJobRunner } from '../src/sweeps/job-runner.ts';
import { checkResultsFolder } from '../src/sweeps/results-folder.ts';
import { runSweep } from '../src/sweeps/run-sweep.ts';
import { chartFamily } from '../src/sweeps/sweep-chart.ts';
import type { SweepFile } from '../src/sweeps/sweep-file.ts';
import type { SweepModel } from '../src/sweeps/sweep-model.ts';
import { planSweep } from '../src/sweeps/sweep-plan.ts';
import type { SweepSetting } from '../src/sweeps/sweep-settings.ts';
import { recordRun, type BenchContext } from './bench-context.ts';
import type { QualityRow } from './quality-vs-speed.ts';
import { median, sum, summarize } from './timing.ts';

/**
 * The quality section's image rows: the sweep file (bench/quality.sweep.yaml, or the quick one) run
 * by the sweep runner of `omnidecode sweep`, in this process, into a temporary results folder; its
 * summary becomes one row per setting.
 */

/** Wall time aimed at for all image settings of a full run (sizes the images per class, 5..10). */
const BUDGET_MS = 360_000;
const MIN_PER_CLASS = 5;

/** The bench's row label: "maskgit T=8 cosine w=2", "autoregressive w=2"; a plugin keeps the sweep's label. */
function rowLabel(setting: SweepSetting, parsed: Readonly<Record<string, unknown>>): string {
  const family = chartFamily(setting.scheduler.name);
  if (family === 'autoregressive') return `autoregressive w=${String(parsed.guidance)}`;
  if (family === 'maskgit') return `maskgit T=${String(parsed.steps)} ${String(parsed.schedule)} w=${String(parsed.guidance)}`;
  return setting.label;
}

/**
 * Images per class that fit the budget: one warm-up and three timed generations each of maskgit T=16
 * without and with guidance and of AR give the cost of a forward; every setting is estimated from its steps.
 */
async function sizedPerClass(model: SweepModel, settings: readonly SweepSetting[], maxPerClass: number, log: (line: string) => void): Promise<{ perClass: number; note: string }> {
  const { pipeline } = model;
  const words = pipeline.encodeText('a bag');
  const request = (name: string, options: Record<string, unknown>): GenerationRequest =>
    textToImageRequest(words, pipeline.vocabulary, pipeline.promptLayout, pipeline.schedulerFor('image', { name, options }));
  const time = async (name: string, options: Record<string, unknown>): Promise<number> => {
    await pipeline.engine.generate(request(name, options), { seed: 0, stream: 'probe' });
    const samples: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const started = performance.now();
      await pipeline.engine.generate(request(name, options), { seed: i, stream: 'probe' });
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  const plain = (await time('maskgit', { steps: 16, guidance: 0 })) / 17;
  const guided = (await time('maskgit', { steps: 16, guidance: 2 })) / 17;
  const ar = settings.some((s) => s.scheduler.name === 'autoregressive') ? await time('autoregressive', {}) : 0;
  const perImage = settings.map((setting) => {
    if (setting.scheduler.name === 'autoregressive') return ar;
    const { steps, guidance } = setting.scheduler.options;
    return ((typeof steps === 'number' ? steps : 12) + 1) * (typeof guidance === 'number' && guidance > 0 ? guided : plain);
  });
  const perClassCost = 10 * sum(perImage);
  const perClass = Math.max(MIN_PER_CLASS, Math.min(maxPerClass, Math.floor(BUDGET_MS / perClassCost)));
  const note = `${perClass} per class: a probe put one image of every setting at ${(perClassCost / 10000).toFixed(1)} s ` +
    `(maskgit forward ${plain.toFixed(1)} ms, ${guided.toFixed(1)} ms with guidance; AR image ${ar.toFixed(0)} ms), ` +
    `against a ${(BUDGET_MS / 1000).toFixed(0)} s budget for the image settings (${MIN_PER_CLASS}..${maxPerClass} per class)`;
  log(`quality: ${note}`);
  return { perClass, note };
}

export interface QualitySweepRun {
  readonly rows: readonly QualityRow[];
  readonly perClass: number;
  readonly sizing: string;
}

export async function runQualitySweep(file: SweepFile, sweepName: string, model: SweepModel, context: BenchContext): Promise<QualitySweepRun> {
  const { pipeline } = model;
  const classes = pipeline.config.prompts.classNames.length;
  const maxPerClass = Math.max(1, Math.floor(file.imagesPerSetting / classes));
  const first = planSweep(file, pipeline, model.modelHash);
  const { perClass, note } = context.perClass !== undefined
    ? { perClass: context.perClass, note: `${context.perClass} per class (--per-class)` }
    : context.quick || maxPerClass <= MIN_PER_CLASS
      ? { perClass: maxPerClass, note: `${maxPerClass} per class (the sweep file's imagesPerSetting)` }
      : await sizedPerClass(model, first.settings, maxPerClass, context.log);
  const plan = planSweep({ ...file, imagesPerSetting: perClass * classes }, pipeline, model.modelHash);
  context.log(`quality: ${sweepName}: ${plan.settings.length} image settings x ${perClass * classes} images (${perClass} per class), each a sweep job at batch 1`);

  const stats = plan.settings.map(() => [] as GenerationStats[]);
  const walls = plan.settings.map(() => [] as number[]);
  const where = 'embedded model';
  const executor = new InProcessExecutor(SweepJobRunner.over(model, 'bench'), {
    progress: null,
    onGeneration: (job, generation) => {
      stats[job.setting]?.push(generation);
      recordRun(context, where, job.scheduler.name, generation);
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'omnidecode-bench-quality-'));
  try {
    const report = await runSweep({
      plan, folder: checkResultsFolder(dir, { force: true }), executor, reference: model.classifier.reference, sweepName,
      log: context.log, chart: false, onResult: (result) => { walls[result.setting]?.push(result.wallMs); },
    });
    const rows = report.summary.settings.map((setting): QualityRow => {
      const resolved = plan.settings[setting.index] as SweepSetting;
      const parsed = pipeline.schedulers.parseOptions(setting.scheduler, setting.options, setting.path, 'image');
      const runs = stats[setting.index] ?? [];
      const row: QualityRow = {
        label: rowLabel(resolved, parsed), family: chartFamily(setting.scheduler), scheduler: setting.scheduler, options: parsed,
        source: pipeline.schedulers.get(setting.scheduler).source ?? 'built-in',
        forwardPassesPerImage: setting.forwardsPerImage ?? Number.NaN, wall: summarize(walls[setting.index] ?? []),
        engineOverhead: 1 - sum(runs.map((r) => r.modelMs)) / sum(runs.map((r) => r.wallMs)),
        images: setting.images, accuracy: setting.accuracy ?? Number.NaN, perClass: (setting.perClass ?? []).map((value) => value ?? Number.NaN),
        frechetDistance: setting.fid ?? Number.NaN,
      };
      context.log(`quality: ${row.label}: accuracy ${(row.accuracy * 100).toFixed(0)}%, FID ${row.frechetDistance.toFixed(1)}, ` +
        `${row.forwardPassesPerImage} forwards, ${row.wall.medianMs.toFixed(1)} ms/image`);
      return row;
    });
    context.log(`quality: ${report.summary.run.ran} sweep jobs in ${report.summary.run.wallSeconds.toFixed(1)} s (${(report.summary.run.jobsPerSecond ?? 0).toFixed(1)} jobs/s)`);
    return { rows, perClass, sizing: note };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
