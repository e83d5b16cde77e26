import type { SweepExecutor } from '../sweep-job.ts';

export interface QueueExecutorOptions {
  /** The sweep's model hash (jobs carry it; workers with another model refuse them). */
  readonly modelHash: string;
  /** Progress and failure lines (one line each, no newline). */
  readonly log: (line: string) => void;
  /** How long to wait for Redis to answer before giving up (default 5000 ms). */
  readonly connectTimeoutMs?: number;
}

/** A SweepExecutor that puts the jobs on a BullMQ queue at `url` and waits for workers to run them. */
export async function createQueueExecutor(url: string, options: QueueExecutorOptions): Promise<SweepExecutor> {
  void url; void options;
  throw new Error('queue executor not ready yet');
}
