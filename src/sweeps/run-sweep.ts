import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureStatistics } from '../evaluation/evaluation-classifier.ts';
import { JobsLogWriter, readJobsLog } from './jobs-log.ts';
import { prepareResultsFolder, SWEEP_FILES, type ResultsFolder } from './results-folder.ts';
import { writeSweepChart, type SweepChartOutcome } from './sweep-chart.ts';
import type { SweepExecutor, SweepJobResult } from './sweep-job.ts';
import type { SweepPlan } from './sweep-plan.ts';
import { summarizeSweep, type SweepSummary } from './sweep-summary.ts';
import { summaryMarkdown } from './summary-markdown.ts';

export interface RunSweepOptions {
  readonly plan: SweepPlan;
  /** Checked beforehand with checkResultsFolder (before the model loaded). */
  readonly folder: ResultsFolder;
  readonly executor: SweepExecutor;
  /** The real test set's feature statistics (the evaluation classifier's reference) FID is taken against. */
  readonly reference: FeatureStatistics;
  /** How summary.md names the sweep (its file). */
  readonly sweepName: string;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Draw quality-chart.svg/png (default true; the bench draws its own). */
  readonly chart?: boolean;
  /** Every result as it is written (after the id checks). */
  readonly onResult?: (result: SweepJobResult) => void;
}

export interface SweepRunReport {
  readonly summary: SweepSummary;
  /** Files written in the results folder. */
  readonly files: readonly string[];
  readonly chart: SweepChartOutcome | null;
}

/**
 * Runs a planned sweep into its results folder: jobs.jsonl gets one line per job as each finishes
 * (a resumed sweep first reads the ids it holds and passes them to the executor as done), then
 * summary.json, summary.md and the chart. An interruption (the signal) leaves jobs.jsonl complete
 * up to the last finished job and writes no summary: --resume finishes the sweep.
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepRunReport> {
  const { plan, folder, executor, log } = options;
  prepareResultsFolder(folder);
  const jobsPath = join(folder.dir, SWEEP_FILES.jobs);
  const planned = new Set(plan.jobs.map((job) => job.id));
  const done = new Set<string>();
  if (folder.mode === 'resume') {
    const reading = await readJobsLog(jobsPath, (result) => { done.add(result.id); });
    const ours = [...done].filter((id) => planned.has(id)).length;
    log(`resume: ${ours} of ${plan.jobs.length} jobs already in ${jobsPath}` +
      (reading.partialBytes > 0 ? `; a last line cut short (${reading.partialBytes} bytes) is dropped and its job runs again` : ''));
  }
  const writer = JobsLogWriter.open(jobsPath, done);
  let ran = 0;
  const started = performance.now();
  try {
    await executor.run(plan.jobs, {
      done,
      ...(options.signal ? { signal: options.signal } : {}),
      onResult: (result) => {
        if (!planned.has(result.id)) {
          log(`warning: a result for job ${result.id}, which is no job of this sweep, was dropped`);
          return;
        }
        if (!writer.append(result)) return;
        ran += 1;
        options.onResult?.(result);
      },
    });
  } finally {
    writer.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const summary = await summarizeSweep(plan, jobsPath, options.reference, { ran, wallSeconds });
  const files: string[] = [SWEEP_FILES.jobs];
  let chart: SweepChartOutcome | null = null;
  if (options.chart !== false) {
    chart = await writeSweepChart(summary, folder.dir);
    if (chart.drawn) {
      files.push(...chart.files);
      for (const warning of chart.warnings) log(`warning: ${warning}`);
    } else {
      log(`no chart: ${chart.reason}`);
      // A chart of an earlier run in this folder would no longer match the summary.
      for (const name of [SWEEP_FILES.chartSvg, SWEEP_FILES.chartPng]) rmSync(join(folder.dir, name), { force: true });
    }
  }
  writeFileSync(join(folder.dir, SWEEP_FILES.summaryJson), `${JSON.stringify({ sweep: options.sweepName, ...summary }, null, 2)}\n`);
  writeFileSync(join(folder.dir, SWEEP_FILES.summaryMarkdown), summaryMarkdown(summary, options.sweepName, chart?.drawn === true ? SWEEP_FILES.chartPng : undefined));
  files.push(SWEEP_FILES.summaryJson, SWEEP_FILES.summaryMarkdown);
  return { summary, files, chart };
}
