import { Queue, QueueEvents } from 'bullmq';
import { AbortError, ConfigError } from '../../core/errors.ts';
import type { SweepExecutor, SweepJob, SweepJobResult } from '../sweep-job.ts';
import { QueueConnectionError, QueueJobsFailedError } from './queue-errors.ts';
import { QueueProgress } from './queue-progress.ts';
import { QueueRun } from './queue-run.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, MAX_CONNECT_TIMEOUT_MS, SWEEP_JOB_OPTIONS, SWEEP_QUEUE_NAME } from './queue-settings.ts';
import { checkRedisReachable, redisOptions } from './redis-connection.ts';
import { parseRedisUrl } from './redis-url.ts';

export interface QueueExecutorOptions {
  /** The sweep's model hash (jobs carry it; workers with another model refuse them). */
  readonly modelHash: string;
  /** Progress and failure lines (one line each, no newline). */
  readonly log: (line: string) => void;
  /** How long to wait for Redis to answer before giving up (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** How often job states are checked directly and progress is logged (default 2000 ms). */
  readonly pollMs?: number;
}

/** Redis connection errors are logged at most this often (BullMQ retries on its own meanwhile). */
const ERROR_LOG_INTERVAL_MS = 10_000;

function throttledErrorLog(url: string, log: (line: string) => void): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < ERROR_LOG_INTERVAL_MS) return;
    last = now;
    log(`queue: Redis at ${url}: ${error.message} (retrying)`);
  };
}

function boundedMs(value: number | undefined, fallback: number, field: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > MAX_CONNECT_TIMEOUT_MS) {
    throw new ConfigError(field, value, `an integer number of milliseconds from ${min} to ${MAX_CONNECT_TIMEOUT_MS}`);
  }
  return value;
}

/**
 * A SweepExecutor that puts the jobs on the BullMQ queue at `url` (job id = SweepJob.id, so a job
 * already there, running or finished, is never added twice) and waits for workers
 * (`omnidecode worker`) to run them. Fails at once, naming the URL, when Redis does not answer within
 * `connectTimeoutMs`.
 */
export async function createQueueExecutor(url: string, options: QueueExecutorOptions): Promise<SweepExecutor> {
  const address = parseRedisUrl(url);
  const timeoutMs = boundedMs(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs', 1);
  const pollMs = boundedMs(options.pollMs, 2000, 'pollMs', 10);
  await checkRedisReachable(address, timeoutMs);
  const connection = redisOptions(address, timeoutMs);
  const queue = new Queue(SWEEP_QUEUE_NAME, { connection, defaultJobOptions: SWEEP_JOB_OPTIONS });
  const events = new QueueEvents(SWEEP_QUEUE_NAME, { connection });
  const onError = throttledErrorLog(address.display, options.log);
  queue.on('error', onError);
  events.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all([queue.waitUntilReady(), events.waitUntilReady()]),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new QueueConnectionError(address.display, timeoutMs, 'the queue did not open')), timeoutMs);
      }),
    ]);
  } catch (error) {
    await Promise.allSettled([events.close(), queue.close()]);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return new QueueExecutor(queue, events, { ...options, pollMs });
}

class QueueExecutor implements SweepExecutor {
  private running = false;
  private closed = false;

  constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly options: QueueExecutorOptions & { readonly pollMs: number },
  ) {}

  async run(jobs: readonly SweepJob[], { onResult, done, signal }: {
    readonly onResult: (result: SweepJobResult) => void;
    readonly done: ReadonlySet<string>;
    readonly signal?: AbortSignal;
  }): Promise<void> {
    if (this.closed) throw new Error('the queue executor is closed');
    if (this.running) throw new Error('the queue executor runs one sweep at a time');
    if (signal?.aborted) throw new AbortError(signal.reason);
    const todo = new Map<string, SweepJob>();
    for (const job of jobs) {
      if (job.modelHash !== this.options.modelHash) {
        throw new ConfigError('job.modelHash', job.modelHash, `the sweep's model hash ${this.options.modelHash}`);
      }
      if (!done.has(job.id)) todo.set(job.id, job);
    }
    const total = new Set(jobs.map((job) => job.id)).size;
    const { log } = this.options;
    if (todo.size === 0) {
      log(`queue: all ${total} jobs already done`);
      return;
    }
    this.running = true;
    const progress = new QueueProgress(total, total - todo.size, log, this.options.pollMs);
    const run = new QueueRun(this.queue, [...todo.values()], { onResult, log, modelHash: this.options.modelHash, progress });
    // Listen before adding, so no completion is missed; the state look-ups catch any that are.
    this.events.on('completed', run.onCompleted);
    this.events.on('failed', run.onFailed);
    try {
      await run.add(signal);
      log(`queue: ${todo.size} job${todo.size === 1 ? '' : 's'} on the queue (${total - todo.size} already done); waiting for workers (omnidecode worker --queue …)`);
      await run.reconcile(true);
      progress.report(await run.snapshot(), true);
      while (run.remaining > 0 && run.error === null) {
        await run.pause(this.options.pollMs, signal);
        if (signal?.aborted) throw new AbortError(signal.reason);
        if (run.remaining > 0) await run.reconcile(false);
        progress.report(await run.snapshot());
      }
      if (run.error !== null) throw run.error;
      progress.report(await run.snapshot(), true);
      const workers = progress.workersLine();
      if (workers !== '') log(`queue: jobs per worker: ${workers}`);
    } catch (error) {
      // The jobs stay on the queue: workers go on, and a re-run takes their results.
      if (signal?.aborted && !(error instanceof AbortError)) throw new AbortError(signal.reason);
      throw error;
    } finally {
      this.events.off('completed', run.onCompleted);
      this.events.off('failed', run.onFailed);
      this.running = false;
    }
    if (run.failures.size > 0) throw new QueueJobsFailedError(run.failures);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}
