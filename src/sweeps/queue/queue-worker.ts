import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { SweepJob, SweepJobResult } from '../sweep-job.ts';
import { ModelHashMismatchError } from './queue-errors.ts';
import { SWEEP_QUEUE_NAME, workerClientName, type WorkerLockSettings } from './queue-settings.ts';
import { checkRedisReachable, redisOptions } from './redis-connection.ts';
import { parseRedisUrl } from './redis-url.ts';
import { parseSweepJob } from '../sweep-job-payload.ts';

/** What a worker runs jobs with: the model loaded once (src/sweeps/job-runner.ts). */
export interface QueueJobRunner {
  readonly modelHash: string;
  run(job: SweepJob, options?: { readonly signal?: AbortSignal }): Promise<SweepJobResult>;
}

export interface QueueWorkerOptions {
  readonly runner: QueueJobRunner;
  /** This worker's name in results (ranBy) and in Redis' client list. */
  readonly name: string;
  readonly concurrency: number;
  readonly lock: WorkerLockSettings;
  readonly connectTimeoutMs: number;
  readonly log: (line: string) => void;
}

export interface QueueWorker {
  /** Stops taking jobs; waits for the running ones to finish (or, with `force`, leaves them to be taken again). */
  close(force?: boolean): Promise<void>;
}

const ERROR_LOG_INTERVAL_MS = 10_000;

/** Job ids are sha256 hex: the first 12 characters name a job in a log line. */
function shortId(id: string | undefined): string {
  return id === undefined ? '?' : id.length > 16 ? `${id.slice(0, 12)}…` : id;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A BullMQ worker on the sweep queue. Every payload is checked field by field: a malformed one fails
 * at once (no retries) with the reason; a job for another model fails with a model-hash mismatch
 * (retried, so a worker with the right model may take it). Either way this worker goes on.
 */
export async function startQueueWorker(url: string, options: QueueWorkerOptions): Promise<QueueWorker> {
  const address = parseRedisUrl(url);
  await checkRedisReachable(address, options.connectTimeoutMs);
  const { runner, name, log } = options;
  const modelHash = runner.modelHash;

  const processor = async (job: Job): Promise<SweepJobResult> => {
    let sweepJob: SweepJob;
    try {
      sweepJob = parseSweepJob(job.data);
    } catch (error) {
      throw new UnrecoverableError(message(error));
    }
    if (sweepJob.id !== job.id) {
      throw new UnrecoverableError(`malformed job payload: id: the payload's id ${sweepJob.id} is not the queue's job id ${String(job.id)}`);
    }
    if (sweepJob.modelHash !== modelHash) throw new ModelHashMismatchError(sweepJob.id, sweepJob.modelHash, modelHash, name);
    const result = await runner.run(sweepJob);
    return { ...result, ranBy: name };
  };

  const worker = new Worker(SWEEP_QUEUE_NAME, processor, {
    connection: redisOptions(address, options.connectTimeoutMs),
    name: workerClientName(name, modelHash),
    concurrency: options.concurrency,
    lockDuration: options.lock.lockDurationMs,
    stalledInterval: options.lock.stalledIntervalMs,
    maxStalledCount: options.lock.maxStalledCount,
    autorun: false,
  });
  worker.on('completed', (job: Job, result: SweepJobResult) => {
    log(`worker ${name}: job ${shortId(job.id)} done (${result.settingLabel}, seed ${result.seed}, image ${result.imageIndex}) in ${Math.round(result.wallMs)} ms`);
  });
  worker.on('failed', (job: Job | undefined, error: Error) => {
    const refused = error instanceof UnrecoverableError || error instanceof ModelHashMismatchError;
    log(`worker ${name}: job ${shortId(job?.id)} ${refused ? 'refused' : 'failed'}: ${error.message}`);
  });
  let lastError = 0;
  worker.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastError < ERROR_LOG_INTERVAL_MS) return;
    lastError = now;
    log(`worker ${name}: Redis at ${address.display}: ${error.message} (retrying)`);
  });
  // run() resolves when the worker closes; its failures are logged, never left unhandled.
  const running = worker.run().catch((error: unknown) => log(`worker ${name}: stopped: ${message(error)}`));
  await worker.waitUntilReady();
  log(`worker ${name}: model ${modelHash.slice(0, 12)}…, taking jobs from ${address.display} (concurrency ${options.concurrency})`);
  return {
    close: async (force = false) => {
      await worker.close(force);
      await running;
    },
  };
}
