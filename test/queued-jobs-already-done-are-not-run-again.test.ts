import { expect, it } from 'vitest';
import { createQueueExecutor } from '../src/sweeps/queue/queue-executor.ts';
import type { SweepJob, SweepJobResult } from '../src/sweeps/sweep-job.ts';
import { stopWorkers, sweepJobs, sweepQueue, useOneWorker } from './support/queue-workers.ts';

// Resume: a sweep run again (a new process, so a new executor) re-adds its jobs under the same ids.
// Jobs it already holds results for are skipped; jobs finished on the queue give their stored
// result; neither is decoded again.

const fixture = useOneWorker();

async function sweep(jobs: readonly SweepJob[], done: ReadonlySet<string>): Promise<SweepJobResult[]> {
  const executor = await createQueueExecutor(fixture.redis.url, { modelHash: fixture.runner.modelHash, log: () => undefined, pollMs: 200 });
  const results: SweepJobResult[] = [];
  try {
    await executor.run(jobs, { onResult: (result) => results.push(result), done });
  } finally {
    await executor.close();
  }
  return results;
}

async function finishedAt(jobs: readonly SweepJob[]): Promise<(number | undefined)[]> {
  const queue = sweepQueue(fixture.redis.url);
  try {
    return await Promise.all(jobs.map(async (job) => (await queue.getJob(job.id))?.finishedOn));
  } finally {
    await queue.close();
  }
}

const decodes = (stderr: string): number => stderr.split('\n').filter((line) => / done \(/.test(line)).length;

it('skips the done jobs, takes the finished ones from the queue, and decodes nothing twice', async () => {
  const jobs = sweepJobs(fixture.runner.modelHash, [{ name: 'maskgit', options: { steps: 4 } }], 6);
  const first = await sweep(jobs.slice(0, 4), new Set());
  expect(first).toHaveLength(4);
  const stamps = await finishedAt(jobs.slice(0, 4));

  // The whole sweep again: jobs 0-1 are in the results folder (done), 2-3 only on the queue, 4-5 new.
  const done = new Set(first.slice(0, 2).map((result) => result.id));
  const second = await sweep(jobs, done);
  expect(second.map((result) => result.id).sort()).toEqual(jobs.filter((job) => !done.has(job.id)).map((job) => job.id).sort());
  for (const result of second.filter((result) => first.some((earlier) => earlier.id === result.id))) {
    expect(result).toEqual(first.find((earlier) => earlier.id === result.id));
  }
  expect(await finishedAt(jobs.slice(0, 4))).toEqual(stamps);

  // Everything done: nothing is added or run.
  const third = await sweep(jobs, new Set(jobs.map((job) => job.id)));
  expect(third).toEqual([]);

  // Four decodes for the first run, two for the new jobs of the second, none for the third.
  await stopWorkers([fixture.worker!]);
  expect(decodes((await fixture.worker!.done).stderr)).toBe(6);
}, 60_000);
