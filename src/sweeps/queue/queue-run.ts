import type { Queue } from 'bullmq';
import type { SweepJob, SweepJobResult } from '../sweep-job.ts';
import { QueueProgress, type QueueSnapshot } from './queue-progress.ts';
import { SWEEP_JOB_NAME, parseWorkerClientName } from './queue-settings.ts';
import { parseSweepJobResult } from '../sweep-job-payload.ts';

/** Jobs whose state is checked directly per pass (a safety net under the completion events). */
const RECONCILE_BATCH = 1000;
/** Parallel state look-ups within a pass. */
const LOOKUP_CHUNK = 100;
/** Failures logged one line each; after that only the count in the progress line grows. */
const FAILURES_LOGGED = 20;

export interface QueueRunOptions {
  readonly onResult: (result: SweepJobResult) => void;
  readonly log: (line: string) => void;
  readonly modelHash: string;
  readonly progress: QueueProgress;
}

/**
 * One sweep run on the queue: the jobs still to finish, settled once each, by a completion event or
 * by a direct look-up of the job's state (whichever comes first); a second report for the same id
 * is ignored. Failed jobs (after BullMQ's retries) are kept with their reason.
 */
export class QueueRun {
  readonly failures = new Map<string, string>();
  private readonly pending: Map<string, SweepJob>;
  private readonly settled = new Set<string>();
  private readonly warnedWorkers = new Set<string>();
  private fatal: unknown = null;
  private wake: (() => void) | null = null;
  private cursor = 0;

  constructor(private readonly queue: Queue, jobs: readonly SweepJob[], private readonly options: QueueRunOptions) {
    this.pending = new Map(jobs.map((job) => [job.id, job]));
  }

  get remaining(): number { return this.pending.size; }

  /** The error an onResult callback threw, which ends the run. */
  get error(): unknown { return this.fatal; }

  readonly onCompleted = (args: { jobId: string; returnvalue: unknown }): void => {
    this.complete(args.jobId, args.returnvalue);
  };

  readonly onFailed = (args: { jobId: string; failedReason: string }): void => {
    if (!this.pending.has(args.jobId)) return;
    // 'failed' is final in BullMQ (retries emit other events), but the state is what counts.
    void this.queue.getJobState(args.jobId).then((state) => {
      if (state === 'failed') this.fail(args.jobId, args.failedReason);
    }, () => undefined);
  };

  /** Adds every pending job; an id already on the queue is left as it is (BullMQ ignores the add). */
  async add(signal: AbortSignal | undefined): Promise<void> {
    const jobs = [...this.pending.values()];
    for (let start = 0; start < jobs.length; start += 500) {
      signal?.throwIfAborted();
      await this.queue.addBulk(jobs.slice(start, start + 500).map((job) => ({ name: SWEEP_JOB_NAME, data: job, opts: { jobId: job.id } })));
    }
  }

  /**
   * Looks up the state of pending jobs: finished ones are settled from Redis (a re-run takes the
   * results of jobs finished before); on the first pass, jobs that failed in an earlier run are
   * retried with fresh attempts; later passes report them failed.
   */
  async reconcile(firstPass: boolean): Promise<void> {
    const ids = [...this.pending.keys()];
    const batch = firstPass || ids.length <= RECONCILE_BATCH ? ids
      : ids.slice(this.cursor % ids.length).concat(ids.slice(0, this.cursor % ids.length)).slice(0, RECONCILE_BATCH);
    this.cursor += RECONCILE_BATCH;
    let retried = 0;
    for (let start = 0; start < batch.length; start += LOOKUP_CHUNK) {
      await Promise.all(batch.slice(start, start + LOOKUP_CHUNK).map(async (id) => {
        // The state first, then the job: a job read while active and found completed a moment
        // later would carry no return value. Completed and failed are final until a retry.
        const state = await this.queue.getJobState(id);
        const wanted = this.pending.get(id);
        if (wanted === undefined) return;
        if (state === 'unknown') {
          // Removed since (its age ran out): put it back.
          await this.queue.add(SWEEP_JOB_NAME, wanted, { jobId: id });
          return;
        }
        if (state !== 'completed' && state !== 'failed') return;
        const job = await this.queue.getJob(id);
        if (job === undefined) return;
        if (state === 'completed') this.complete(id, job.returnvalue);
        else if (firstPass) {
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
          retried += 1;
        } else this.fail(id, job.failedReason);
      }));
    }
    if (retried > 0) this.options.log(`queue: retrying ${retried} job${retried === 1 ? '' : 's'} that failed in an earlier run`);
  }

  /** Resolves after `ms`, or sooner when a job settles or the signal fires. */
  pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  /** Workers and running jobs as Redis reports them; warns once about each worker with another model. */
  async snapshot(): Promise<QueueSnapshot> {
    let workers: number | null = null;
    let active: number | null = null;
    try {
      const clients = await this.queue.getWorkers();
      workers = clients.length;
      for (const client of clients) this.checkWorkerModel(String(client.rawname ?? ''));
    } catch { /* CLIENT LIST refused (some hosted Redis): leave the count out */ }
    try { active = await this.queue.getActiveCount(); } catch { /* reported by the queue's error listener */ }
    return { workers, active };
  }

  private checkWorkerModel(rawname: string): void {
    const at = rawname.indexOf(':w:');
    const parsed = at < 0 ? null : parseWorkerClientName(rawname.slice(at + 3));
    if (parsed === null || this.warnedWorkers.has(parsed.worker)) return;
    if (this.options.modelHash.startsWith(parsed.modelHashPrefix)) return;
    this.warnedWorkers.add(parsed.worker);
    this.options.log(`queue: worker ${parsed.worker} has model ${parsed.modelHashPrefix}…, not this sweep's ${this.options.modelHash.slice(0, 12)}…: it will refuse this sweep's jobs`);
  }

  private complete(id: string, value: unknown): void {
    const job = this.pending.get(id);
    if (job === undefined || this.settled.has(id)) return;
    let stored: SweepJobResult;
    try {
      stored = parseSweepJobResult(value);
    } catch (error) {
      this.fail(id, error instanceof Error ? error.message : String(error));
      return;
    }
    if (stored.id !== id || stored.seed !== job.seed || stored.imageIndex !== job.imageIndex || stored.prompt !== job.prompt) {
      this.fail(id, `the worker's result is for another job (${stored.id}, seed ${stored.seed}, image ${stored.imageIndex})`);
      return;
    }
    // The id is the decode (model, scheduler, seed, prompt, image); a result kept from an earlier
    // sweep whose grid was numbered differently still belongs to this sweep's setting.
    const result: SweepJobResult = { ...stored, setting: job.setting, settingLabel: job.settingLabel, classIndex: job.classIndex };
    this.settled.add(id);
    this.pending.delete(id);
    this.options.progress.finished(result.ranBy);
    try {
      this.options.onResult(result);
    } catch (error) {
      this.fatal ??= error;
    }
    this.wake?.();
  }

  private fail(id: string, reason: string): void {
    const job = this.pending.get(id);
    if (job === undefined || this.settled.has(id)) return;
    this.settled.add(id);
    this.pending.delete(id);
    this.failures.set(id, reason);
    this.options.progress.failedJob();
    if (this.failures.size <= FAILURES_LOGGED) {
      this.options.log(`queue: job ${id} (${job.settingLabel}, seed ${job.seed}, image ${job.imageIndex}) failed: ${reason}`);
    } else if (this.failures.size === FAILURES_LOGGED + 1) {
      this.options.log('queue: more jobs failed; the progress line counts them');
    }
    this.wake?.();
  }
}
