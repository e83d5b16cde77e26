import { expect, it } from 'vitest';
import { createQueueExecutor } from '../src/sweeps/queue/queue-executor.ts';
import { QueueJobsFailedError } from '../src/sweeps/queue/queue-errors.ts';
import type { SweepJobResult } from '../src/sweeps/sweep-job.ts';
import { sweepJobs, useOneWorker } from './support/queue-workers.ts';

// A sweep planned for another model (another model hash) reaches a worker: the worker refuses each
// job with a model-hash mismatch (after BullMQ's retries the sweep reports them failed), and goes
// on to run the next sweep, planned for its own model.

const fixture = useOneWorker();

it('refuses the other model\'s job, names the mismatch, and runs the next job', async () => {
  const otherHash = 'f'.repeat(64);
  const lines: string[] = [];
  const foreign = await createQueueExecutor(fixture.redis.url, { modelHash: otherHash, log: (line) => lines.push(line), pollMs: 200 });
  const [job] = sweepJobs(otherHash, [{ name: 'maskgit', options: { steps: 4 } }], 1);
  let failure: unknown = null;
  try {
    await foreign.run([job!], { onResult: () => { throw new Error('a refused job has no result'); }, done: new Set() });
  } catch (error) {
    failure = error;
  } finally {
    await foreign.close();
  }
  expect(failure).toBeInstanceOf(QueueJobsFailedError);
  const reason = (failure as QueueJobsFailedError).failures.get(job!.id);
  expect(reason).toMatch(/refused by w1: model hash mismatch \(the sweep's model is ffffffffffff…, this worker's is /);
  expect(lines.some((line) => /worker w1 has model [0-9a-f]{12}…, not this sweep's ffffffffffff…/.test(line))).toBe(true);
  await fixture.worker!.waitForStderr(/job [0-9a-f]{12}… refused: job .* model hash mismatch/);

  const own = await createQueueExecutor(fixture.redis.url, { modelHash: fixture.runner.modelHash, log: () => undefined, pollMs: 200 });
  const results: SweepJobResult[] = [];
  try {
    await own.run(sweepJobs(fixture.runner.modelHash, [{ name: 'maskgit', options: { steps: 4 } }], 1), { onResult: (result) => results.push(result), done: new Set() });
  } finally {
    await own.close();
  }
  expect(results.map((result) => result.ranBy)).toEqual(['w1']);
  expect(fixture.worker!.child.exitCode).toBe(null);
}, 60_000);
