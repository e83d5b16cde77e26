import type { JobsOptions } from 'bullmq';

/** One queue for every sweep: a job's id already names its model, setting, seed and image. */
export const SWEEP_QUEUE_NAME = 'omnidecode-sweep';
export const SWEEP_JOB_NAME = 'decode';

/** How long a sweep or a worker waits for Redis to answer before giving up, unless told otherwise. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const MAX_CONNECT_TIMEOUT_MS = 10 * 60 * 1000;

/** How long finished jobs stay in Redis: a sweep re-run within this time takes their results (resume). */
export const KEEP_FINISHED_SECONDS = 14 * 24 * 3600;
/** At most this many finished jobs are kept (the oldest go first), so Redis memory stays bounded. */
export const KEEP_FINISHED_COUNT = 1_000_000;

/** Every job: tried 3 times, 1 s then 2 s apart, before it is reported failed. */
export const SWEEP_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: KEEP_FINISHED_SECONDS, count: KEEP_FINISHED_COUNT },
  removeOnFail: { age: KEEP_FINISHED_SECONDS, count: KEEP_FINISHED_COUNT },
};

/**
 * A worker holds a job's lock for `lockDuration` and renews it every half of that; a worker that
 * dies stops renewing, and another worker's stalled check (every `stalledInterval`) moves the job
 * back to the queue. A job that stalls more than `maxStalledCount` times fails.
 */
export interface WorkerLockSettings {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
}

export const DEFAULT_LOCK_SETTINGS: WorkerLockSettings = { lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 2 };

/** Bounds of the worker's numeric flags. */
export const LOCK_LIMITS = { minMs: 500, maxMs: 3_600_000, maxStalledCount: 100, maxConcurrency: 64 } as const;

/** Worker names travel in Redis client names (no spaces) and carry the model hash's first characters. */
const WORKER_NAME_SEPARATOR = '~';

export function workerClientName(worker: string, modelHash: string): string {
  return `${worker}${WORKER_NAME_SEPARATOR}${modelHash.slice(0, 12)}`;
}

/** The worker and model-hash prefix from a client name written by workerClientName, or null. */
export function parseWorkerClientName(name: string): { worker: string; modelHashPrefix: string } | null {
  const at = name.lastIndexOf(WORKER_NAME_SEPARATOR);
  if (at <= 0) return null;
  return { worker: name.slice(0, at), modelHashPrefix: name.slice(at + 1) };
}

/** This process's default worker name: host and pid, reduced to characters Redis client names allow. */
export function defaultWorkerName(hostname: string, pid: number): string {
  return `${hostname.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}-${pid}`;
}
