import { availableParallelism } from 'node:os';
import type { FeatureStatistics } from '../evaluation/evaluation-classifier.ts';
import { frechetDistance } from '../evaluation/frechet-distance.ts';
import { FeatureAccumulator } from './feature-accumulator.ts';
import { readJobsLog } from './jobs-log.ts';
import type { SweepPlan } from './sweep-plan.ts';

export interface WallSummary {
  readonly median: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** One setting's figures over its finished jobs (every seed pooled). */
export interface SettingSummary {
  readonly index: number;
  readonly label: string;
  /** The grid entry it came from: `grid[1]`. */
  readonly path: string;
  readonly scheduler: string;
  /** The options its jobs decoded with (the file's values over the model's defaults). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly jobs: number;
  /** Finished jobs (images judged). */
  readonly images: number;
  /** Images whose prompt names a class, and the share the classifier labels as that class (null when none). */
  readonly classImages: number;
  readonly accuracy: number | null;
  /** Per class, in the model's class order (null for a class with no image). */
  readonly perClass: readonly (number | null)[] | null;
  /** Fréchet distance of the pooled classifier features to the real test set's (null below 2 images). */
  readonly fid: number | null;
  /** Decode wall time per image, ms (batch 1, engine only). */
  readonly wallMs: WallSummary | null;
  /** Mean transformer forwards per image. */
  readonly forwardsPerImage: number | null;
}

export interface SweepRunFigures {
  /** Jobs this invocation ran, and the wall time the executor took for them. */
  readonly ran: number;
  readonly wallSeconds: number;
}

export interface SweepSummary {
  readonly model: SweepPlan['model'];
  readonly jobs: {
    readonly planned: number;
    readonly finished: number;
    readonly missing: number;
    /** Lines of jobs.jsonl whose id is no job of this sweep (an earlier, different sweep in the folder): ignored. */
    readonly foreignLines: number;
  };
  readonly run: {
    readonly ran: number;
    readonly wallSeconds: number;
    readonly jobsPerSecond: number | null;
    readonly cores: number;
    /** Who ran the finished jobs: "in-process" or workers' names. */
    readonly ranBy: readonly string[];
  };
  readonly fidReference: { readonly count: number; readonly dimension: number };
  readonly classNames: readonly string[];
  readonly settings: readonly SettingSummary[];
  readonly notes: readonly string[];
}

interface SettingTally {
  images: number;
  classImages: number;
  hits: number;
  classTotals: number[];
  classHits: number[];
  walls: number[];
  forwards: number;
  features: FeatureAccumulator;
}

function wallSummary(walls: number[]): WallSummary | null {
  if (walls.length === 0) return null;
  const sorted = [...walls].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] as number : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/**
 * The per-setting figures from the results folder's jobs.jsonl. Only lines of this sweep's jobs
 * count, each id once. Features are pooled in the plan's job order, not the order results arrived
 * in, so a queue run and an in-process run of the same jobs give the same FID to the last digit
 * (the floating-point sums depend on order); that holds one feature vector per job in memory.
 */
export async function summarizeSweep(plan: SweepPlan, jobsPath: string, reference: FeatureStatistics, run: SweepRunFigures): Promise<SweepSummary> {
  const classes = plan.classNames.length;
  const tallies: SettingTally[] = plan.settings.map(() => ({
    images: 0, classImages: 0, hits: 0, classTotals: new Array<number>(classes).fill(0), classHits: new Array<number>(classes).fill(0),
    walls: [], forwards: 0, features: new FeatureAccumulator(reference.dimension),
  }));
  const jobs = new Map(plan.jobs.map((job) => [job.id, job]));
  const order = new Map(plan.jobs.map((job, index) => [job.id, index]));
  const featuresByJob = new Array<readonly number[] | undefined>(plan.jobs.length);
  const counted = new Set<string>();
  const ranBy = new Set<string>();
  let foreignLines = 0;
  await readJobsLog(jobsPath, (result, line) => {
    const job = jobs.get(result.id);
    if (job === undefined) { foreignLines += 1; return; }
    if (counted.has(result.id)) return;
    counted.add(result.id);
    ranBy.add(result.ranBy);
    const tally = tallies[job.setting] as SettingTally;
    tally.images += 1;
    tally.walls.push(result.wallMs);
    tally.forwards += result.forwards;
    if (result.features.length !== reference.dimension) {
      throw new RangeError(`${jobsPath} line ${line}: ${result.features.length} features, the classifier gives ${reference.dimension}`);
    }
    featuresByJob[order.get(result.id) as number] = result.features;
    if (job.classIndex !== null) {
      tally.classImages += 1;
      tally.classTotals[job.classIndex] = (tally.classTotals[job.classIndex] ?? 0) + 1;
      if (result.predicted === job.classIndex) {
        tally.hits += 1;
        tally.classHits[job.classIndex] = (tally.classHits[job.classIndex] ?? 0) + 1;
      }
    }
  });
  plan.jobs.forEach((job, index) => {
    const features = featuresByJob[index];
    if (features !== undefined) (tallies[job.setting] as SettingTally).features.add(features);
  });
  const settings: SettingSummary[] = [];
  for (const setting of plan.settings) {
    const tally = tallies[setting.index] as SettingTally;
    const fid = tally.images >= 2 ? await frechetDistance(tally.features.statistics(), reference) : null;
    settings.push({
      index: setting.index, label: setting.label, path: setting.path, scheduler: setting.scheduler.name, options: setting.scheduler.options,
      jobs: plan.seeds.length * plan.imagesPerSetting, images: tally.images, classImages: tally.classImages,
      accuracy: tally.classImages === 0 ? null : tally.hits / tally.classImages,
      perClass: tally.classImages === 0 ? null : tally.classTotals.map((total, index) => (total === 0 ? null : (tally.classHits[index] as number) / total)),
      fid, wallMs: wallSummary(tally.walls), forwardsPerImage: tally.images === 0 ? null : tally.forwards / tally.images,
    });
  }
  const finished = counted.size;
  const notes: string[] = [];
  if (finished < plan.jobs.length) notes.push(`${plan.jobs.length - finished} of ${plan.jobs.length} jobs have no result yet: run the same command with --resume to finish them.`);
  if (foreignLines > 0) notes.push(`${foreignLines} line(s) of jobs.jsonl belong to no job of this sweep (an earlier sweep in this folder, another model): ignored.`);
  const fewest = Math.min(...settings.map((setting) => setting.images));
  if (fewest <= reference.dimension) {
    notes.push(`FID is the Fréchet distance in the evaluation classifier's ${reference.dimension}-d feature space against the real test set ` +
      `(${reference.count} images); a setting with ${reference.dimension} images or fewer has a rank-deficient covariance and a distance biased upwards: ` +
      'compare settings of equal image counts only, and use thousands of images for a figure to quote.');
  }
  return {
    model: plan.model,
    jobs: { planned: plan.jobs.length, finished, missing: plan.jobs.length - finished, foreignLines },
    run: {
      ran: run.ran, wallSeconds: run.wallSeconds, jobsPerSecond: run.ran > 0 && run.wallSeconds > 0 ? run.ran / run.wallSeconds : null,
      cores: availableParallelism(), ranBy: [...ranBy].sort(),
    },
    fidReference: { count: reference.count, dimension: reference.dimension },
    classNames: plan.classNames, settings, notes,
  };
}
