import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SweepJobRunner } from '../src/sweeps/job-runner.ts';
import { createQueueExecutor } from '../src/sweeps/queue/queue-executor.ts';
import { SWEEP_JOB_NAME } from '../src/sweeps/queue/queue-settings.ts';
import type { SweepJobResult } from '../src/sweeps/sweep-job.ts';
import { startRedisServer, type RedisServer } from './support/redis-server.ts';
import { startWorker, stopWorkers, sweepJobs, sweepQueue, type WorkerProcess } from './support/queue-workers.ts';

// Anyone who can write to the queue can put any payload there. The worker checks every field of a
// job before running it: a malformed payload fails at once (no retries), the reason names the
// field, the worker logs it and takes the next job.

let redis: RedisServer;
let runner: SweepJobRunner;
let worker: WorkerProcess | undefined;
let queue: Queue;

beforeAll(async () => {
  redis = await startRedisServer();
  runner = await SweepJobRunner.load({ threads: 1 }, 'in-process');
  worker = await startWorker(redis.url, 'w1');
  queue = sweepQueue(redis.url);
});

afterAll(async () => {
  await queue?.close();
  if (worker !== undefined) await stopWorkers([worker]);
  await runner?.dispose();
  await redis?.stop();
});

async function failedReason(id: string): Promise<{ reason: string; attempts: number }> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    // State first, then the job: a job read before it failed and checked after would have no reason yet.
    if (await queue.getJobState(id) === 'failed') {
      const job = await queue.getJob(id);
      if (job !== undefined) return { reason: job.failedReason, attempts: job.attemptsMade };
    }
    await sleep(50);
  }
  throw new Error(`job ${id} did not fail`);
}

it('rejects each malformed payload naming the field, and runs the next good job', async () => {
  const [good] = sweepJobs(runner.modelHash, [{ name: 'maskgit', options: { steps: 4 } }], 1);
  const bad: Record<string, unknown> = {
    'bad-seed': { ...good, id: 'bad-seed', seed: -1 },
    'bad-missing': Object.fromEntries(Object.entries({ ...good, id: 'bad-missing' }).filter(([key]) => key !== 'modelHash')),
    'bad-extra': { ...good, id: 'bad-extra', extra: 1 },
    'bad-text': 'not a job',
    'bad-options': { ...good, id: 'bad-options', scheduler: { name: 'maskgit', options: { steps: 'x'.repeat(70_000) } } },
    'bad-id': { ...good },
  };
  for (const [id, data] of Object.entries(bad)) await queue.add(SWEEP_JOB_NAME, data, { jobId: id, attempts: 3 });

  const expected: Record<string, RegExp> = {
    'bad-seed': /^malformed job payload: seed: got -1, expected an integer from 0 to 4294967295$/,
    'bad-missing': /^malformed job payload: modelHash: got undefined, expected the field to be present$/,
    'bad-extra': /^malformed job payload: extra: got 1, expected no such field \(the fields are id, setting, /,
    'bad-text': /^malformed job payload: \(payload\): got "not a job", expected an object$/,
    'bad-options': /^malformed job payload: scheduler\.options: got "\d+ bytes of JSON", expected at most 65536$/,
    'bad-id': /^malformed job payload: id: the payload's id [0-9a-f]{64} is not the queue's job id bad-id$/,
  };
  for (const [id, pattern] of Object.entries(expected)) {
    const { reason, attempts } = await failedReason(id);
    expect(reason, id).toMatch(pattern);
    expect(attempts, `${id} is not retried`).toBe(1);
  }
  await worker!.waitForStderr(/job bad-seed refused: malformed job payload: seed/);

  const executor = await createQueueExecutor(redis.url, { modelHash: runner.modelHash, log: () => undefined, pollMs: 200 });
  const results: SweepJobResult[] = [];
  try {
    await executor.run([good!], { onResult: (result) => results.push(result), done: new Set() });
  } finally {
    await executor.close();
  }
  expect(results.map((result) => [result.id, result.ranBy])).toEqual([[good!.id, 'w1']]);
  expect(worker!.child.exitCode).toBe(null);
}, 60_000);
