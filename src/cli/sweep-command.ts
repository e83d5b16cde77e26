import { basename } from 'node:path';
import type { Command } from 'commander';
import { AbortError, ConfigError } from '../core/errors.ts';
import { MAX_THREADS } from '../pipeline/pipeline-options.ts';
import { InProcessExecutor } from '../sweeps/in-process-executor.ts';
import { SweepJobRunner } from '../sweeps/job-runner.ts';
import { inFile, readSweepFile } from '../sweeps/read-sweep-file.ts';
import { checkResultsFolder, SWEEP_FILES } from '../sweeps/results-folder.ts';
import { runSweep } from '../sweeps/run-sweep.ts';
import type { SweepExecutor } from '../sweeps/sweep-job.ts';
import { loadSweepModel } from '../sweeps/sweep-model.ts';
import { planSweep } from '../sweeps/sweep-plan.ts';
import type { SweepSummary } from '../sweeps/sweep-summary.ts';
import { abortOnSignals } from './interrupts.ts';
import { integerFlag } from './run-settings.ts';

interface SweepFlags {
  output: string;
  force?: boolean;
  resume?: boolean;
  queue?: string;
  threads?: string;
}

function settingLines(summary: SweepSummary): string[] {
  const figure = (value: number | null | undefined, digits: number, suffix = ''): string => (value === null || value === undefined ? '-' : `${value.toFixed(digits)}${suffix}`);
  return summary.settings.map((setting) => `${setting.label}: ${setting.images} images, accuracy ${figure(setting.accuracy === null ? null : setting.accuracy * 100, 1, '%')}, ` +
    `FID ${figure(setting.fid, 1)}, ${figure(setting.wallMs?.median, 1)} ms/image, ${figure(setting.forwardsPerImage, 1)} forwards/image`);
}

/**
 * `omnidecode sweep SWEEP.yaml -o DIR`: every setting of the sweep file's grid × seeds × images, as
 * jobs run in this process (or, with --queue, by workers), into a results folder. The file, the
 * flags and the folder are checked before any job runs.
 */
export function registerSweepCommand(program: Command): void {
  program.command('sweep')
    .description('Run a sweep file (settings grid × seeds × images) into a results folder: jobs.jsonl, summary.json/.md and the quality-vs-speed chart. See docs/sweeps.md.')
    .argument('<sweep>', 'a .yaml or .json sweep file')
    .requiredOption('-o, --output <dir>', 'the results folder (refused if it exists, unless --resume or --force)')
    .option('--resume', 'finish the sweep in the results folder: only jobs missing from its jobs.jsonl run')
    .option('--force', 'start over in an existing results folder (its sweep files are replaced; nothing else in it is touched)')
    .option('--queue <url>', 'put the jobs on a BullMQ queue at redis://host:port for `omnidecode worker` processes instead of running them here')
    .option('--threads <n>', 'onnxruntime intra-op threads (default: the machine\'s cores)')
    .action(async (path: string, flags: SweepFlags) => {
      // Flags and the folder first: a typo or an existing folder fails before anything loads.
      const folder = checkResultsFolder(flags.output, { force: flags.force === true, resume: flags.resume === true });
      const threads = integerFlag(flags.threads, '--threads', 1, MAX_THREADS);
      const file = await readSweepFile(path);
      const log = (line: string): void => { process.stderr.write(`${line}\n`); };
      const model = await loadSweepModel({
        model: file.model, plugins: file.plugins, baseDir: file.baseDir, ...(threads === undefined ? {} : { threads }),
        onWarning: (warning) => log(`omnidecode: ${warning}`),
      });
      let executor: SweepExecutor | undefined;
      try {
        let plan;
        try {
          plan = planSweep(file, model.pipeline, model.modelHash);
        } catch (error) {
          throw error instanceof ConfigError ? inFile(path, error) : error;
        }
        log(`sweep ${basename(path)}: ${plan.settings.length} setting(s) × ${plan.seeds.length} seed(s) × ${plan.imagesPerSetting} image(s) = ` +
          `${plan.jobs.length} jobs, model ${plan.model.name} (${plan.model.hash.slice(0, 12)}), ${flags.queue === undefined ? 'in this process' : `on the queue ${flags.queue}`}`);
        if (flags.queue !== undefined) {
          const { createQueueExecutor } = await import('../sweeps/queue/queue-executor.ts');
          executor = await createQueueExecutor(flags.queue, { modelHash: model.modelHash, log });
        } else {
          executor = new InProcessExecutor(SweepJobRunner.over(model));
        }
        const controller = abortOnSignals();
        let report;
        try {
          report = await runSweep({
            plan, folder, executor, reference: model.classifier.reference, sweepName: basename(path), log, signal: controller.signal,
          });
        } catch (error) {
          if (error instanceof AbortError || (error instanceof Error && error.name === 'AbortError')) {
            log(`sweep stopped: the finished jobs are in ${folder.dir}/${SWEEP_FILES.jobs}; run the same command with --resume to finish the sweep`);
          }
          throw error;
        }
        const { summary } = report;
        for (const line of settingLines(summary)) process.stdout.write(`${line}\n`);
        log(`${summary.jobs.finished}/${summary.jobs.planned} jobs; this run: ${summary.run.ran} in ${summary.run.wallSeconds.toFixed(1)} s` +
          `${summary.run.jobsPerSecond === null ? '' : ` (${summary.run.jobsPerSecond.toFixed(2)} jobs/s)`}; wrote ${folder.dir}/{${report.files.join(',')}}`);
      } finally {
        await executor?.close();
        await model.dispose();
      }
    });
}
