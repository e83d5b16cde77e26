import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SweepJobRunner } from '../src/sweeps/job-runner.ts';
import { createQueueExecutor } from '../src/sweeps/queue/queue-executor.ts';
import type { SweepExecutor, SweepJob, SweepJobResult } from '../src/sweeps/sweep-job.ts';
import { startRedisServer, type RedisServer } from './support/redis-server.ts';
import { startWorker, stopWorkers, sweepJobs, sweepQueue, type WorkerProcess } from './support/queue-workers.ts';

// Three worker processes take a small sweep from a real Redis; one is SIGKILLed while it holds a job.
// BullMQ's stalled-job check hands that job to another worker, and the sweep still gets every job
// exactly once, with the same tokens as decoding the jobs in this process.

let redis: RedisServer;
let runner: SweepJobRunner;
const workers: WorkerProcess[] = [];
let executor: SweepExecutor | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  runner = await SweepJobRunner.load({ threads: 1 }, 'in-process');
});

afterAll(async () => {
  await executor?.close();
  await stopWorkers(workers);
  await runner?.dispose();
  await redis?.stop();
});

/**
 * Finds a worker holding an active job, freezes it (SIGSTOP), and if it still holds that job, kills
 * it (SIGKILL); otherwise lets it go on and tries again. Returns the worker and the job it held.
 */
async function killAWorkerHoldingAJob(url: string, candidates: readonly WorkerProcess[]): Promise<{ worker: WorkerProcess; jobId: string }> {
  const queue = sweepQueue(url);
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      for (const job of await queue.getActive()) {
        const worker = candidates.find((candidate) => job.processedBy?.startsWith(`${candidate.name}~`));
        if (worker === undefined || job.id === undefined) continue;
        worker.child.kill('SIGSTOP');
        await sleep(100);
        const again = await queue.getJob(job.id);
        if (again !== undefined && await again.getState() === 'active' && again.processedBy === job.processedBy) {
          worker.child.kill('SIGKILL');
          return { worker, jobId: job.id };
        }
        worker.child.kill('SIGCONT');
      }
      await sleep(5);
    }
    throw new Error('no worker held a job to kill');
  } finally {
    await queue.close();
  }
}

it('gives every job exactly once, with the in-process tokens, when a worker is killed mid-job', async () => {
  const jobs: SweepJob[] = sweepJobs(runner.modelHash, [
    { name: 'maskgit', options: { steps: 12 } },
    { name: 'maskgit', options: { steps: 24, guidance: 2 } },
  ], 20);
  const inProcess = new Map<string, string>();
  for (const job of jobs) inProcess.set(job.id, (await runner.run(job)).tokensHash);

  workers.push(...await Promise.all(['w1', 'w2', 'w3'].map((name) => startWorker(redis.url, name))));
  const lines: string[] = [];
  // A short poll: the direct state look-ups race the completion events all through the sweep.
  executor = await createQueueExecutor(redis.url, { modelHash: runner.modelHash, log: (line) => lines.push(line), pollMs: 20 });
  const results: SweepJobResult[] = [];
  const sweep = executor.run(jobs, { onResult: (result) => results.push(result), done: new Set() });
  const killed = await killAWorkerHoldingAJob(redis.url, workers);
  await sweep;

  expect(results.map((result) => result.id).sort()).toEqual(jobs.map((job) => job.id).sort());
  expect(new Set(results.map((result) => result.id)).size).toBe(jobs.length);
  for (const result of results) expect(result.tokensHash, result.id).toBe(inProcess.get(result.id));

  // The killed worker's job was moved back by the stalled check and finished by another worker.
  const redone = results.find((result) => result.id === killed.jobId);
  expect(redone?.ranBy).toBeDefined();
  expect(redone?.ranBy).not.toBe(killed.worker.name);
  const queue = sweepQueue(redis.url);
  try {
    const job = await queue.getJob(killed.jobId);
    expect(job?.stalledCounter).toBeGreaterThanOrEqual(1);
  } finally {
    await queue.close();
  }
  expect(lines.some((line) => line.startsWith(`queue: ${jobs.length}/${jobs.length} done`))).toBe(true);
  expect((await killed.worker.done).code).toBe(null);
}, 120_000);
