import { OmnidecodeError } from '../../core/errors.ts';

/** Redis could not be reached (or did not answer) at the queue URL within the connect timeout. */
export class QueueConnectionError extends OmnidecodeError {
  readonly url: string;
  constructor(url: string, timeoutMs: number, cause: string) {
    super('--queue', url, `a Redis server answering at ${url}`,
      `cannot reach Redis at ${url} within ${timeoutMs} ms: ${cause} (is redis-server running there, and reachable from this machine?)`);
    this.url = url;
  }
}

export { SweepPayloadError } from '../sweep-job-payload.ts';

/** A worker was handed a job for another model: the sweep's model hash is not the worker's. */
export class ModelHashMismatchError extends OmnidecodeError {
  constructor(jobId: string, jobHash: string, workerHash: string, worker: string) {
    super('modelHash', jobHash, `the worker's model hash ${workerHash}`,
      `job ${jobId} refused by ${worker}: model hash mismatch (the sweep's model is ${jobHash.slice(0, 12)}…, this worker's is ${workerHash.slice(0, 12)}…; start the worker with the sweep's --model)`);
  }
}

/** Jobs that failed on the queue after their retries: the sweep is incomplete. */
export class QueueJobsFailedError extends OmnidecodeError {
  /** Job id -> the last failure reason. */
  readonly failures: ReadonlyMap<string, string>;
  constructor(failures: ReadonlyMap<string, string>) {
    const [first] = failures.entries();
    super('jobs', failures.size, 'every job to finish',
      `${failures.size} job${failures.size === 1 ? '' : 's'} failed on the queue after their retries`
      + (first === undefined ? '' : `; first: ${first[0]}: ${first[1]}`)
      + ' (re-run the sweep to retry them; finished jobs are kept)');
    this.failures = failures;
  }
}
