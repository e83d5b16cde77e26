import { AbortError } from '../core/errors.ts';
import type { JobRunOptions, SweepJobRunner } from './job-runner.ts';
import type { SweepExecutor, SweepJob, SweepJobResult } from './sweep-job.ts';
import { sweepProgress } from './sweep-progress.ts';

export interface InProcessExecutorOptions {
  /** Where the progress bar (terminal) or lines go; null for none. Default: stderr. */
  readonly progress?: NodeJS.WriteStream | null;
  /** One untimed decode before the first job (default true). */
  readonly warmUp?: boolean;
  readonly onGeneration?: JobRunOptions['onGeneration'];
}

/**
 * The sweep's jobs in this process, one after the other at batch 1, with the runner's model: no
 * queue, no Redis. Skips the `done` ids (resume) and any id met twice, reports each result once,
 * and stops between jobs or mid-decode when the signal fires (AbortError). The runner belongs to
 * the caller: close() leaves it loaded.
 */
export class InProcessExecutor implements SweepExecutor {
  constructor(private readonly runner: SweepJobRunner, private readonly options: InProcessExecutorOptions = {}) {}

  async run(jobs: readonly SweepJob[], options: {
    readonly onResult: (result: SweepJobResult) => void;
    readonly done: ReadonlySet<string>;
    readonly signal?: AbortSignal;
  }): Promise<void> {
    const seen = new Set(options.done);
    const todo = jobs.filter((job) => {
      if (seen.has(job.id)) return false;
      seen.add(job.id);
      return true;
    });
    const { signal } = options;
    if (todo.length === 0) return;
    if (this.options.warmUp !== false) await this.runner.warmUp();
    const progress = sweepProgress(todo.length, this.options.progress === undefined ? process.stderr : this.options.progress);
    try {
      for (const job of todo) {
        if (signal?.aborted === true) throw new AbortError(signal.reason);
        const result = await this.runner.run(job, {
          ...(signal ? { signal } : {}), ...(this.options.onGeneration ? { onGeneration: this.options.onGeneration } : {}),
        });
        options.onResult(result);
        progress.advance();
      }
    } finally {
      progress.stop();
    }
  }

  async close(): Promise<void> {
    // Nothing of its own to free: the runner (and its model) is the caller's.
  }
}
