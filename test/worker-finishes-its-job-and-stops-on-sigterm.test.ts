import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SweepJobRunner } from '../src/sweeps/job-runner.ts';
import { SWEEP_JOB_NAME } from '../src/sweeps/queue/queue-settings.ts';
import { startRedisServer, type RedisServer } from './support/redis-server.ts';
import { startWorker, stopWorkers, sweepJobs, sweepQueue, type WorkerProcess } from './support/queue-workers.ts';

// SIGTERM (or Ctrl-C) stops a worker cleanly: it takes no new job, finishes the one it runs, and
// exits 0; the rest stay on the queue for other workers.

let redis: RedisServer;
let modelHash: string;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  const runner = await SweepJobRunner.load({ threads: 1 }, 'in-process');
  modelHash = runner.modelHash;
  await runner.dispose();
});

afterAll(async () => {
  if (worker !== undefined) await stopWorkers([worker]);
  await redis?.stop();
});

it('finishes the running job, leaves the others queued, and exits 0', async () => {
  worker = await startWorker(redis.url, 'w1');
  const queue = sweepQueue(redis.url);
  try {
    const jobs = sweepJobs(modelHash, [{ name: 'maskgit', options: { steps: 48 } }], 30);
    await queue.addBulk(jobs.map((job) => ({ name: SWEEP_JOB_NAME, data: job, opts: { jobId: job.id } })));
    let running: string | undefined;
    const deadline = Date.now() + 20_000;
    while (running === undefined && Date.now() < deadline) {
      running = (await queue.getActive())[0]?.id;
      if (running === undefined) await sleep(5);
    }
    expect(running).toBeDefined();
    worker.child.kill('SIGTERM');
    const { code, stderr } = await worker.done;

    expect(code).toBe(0);
    expect(stderr).toMatch(/worker w1: stopping after the running job[^]*worker w1: stopped\n$/);
    const job = await queue.getJob(running!);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toMatchObject({ id: running, ranBy: 'w1' });
    const counts = await queue.getJobCounts('active', 'waiting', 'completed');
    expect(counts.active).toBe(0);
    expect(counts.waiting).toBeGreaterThan(0);
    expect((counts.completed ?? 0) + (counts.waiting ?? 0)).toBe(jobs.length);
  } finally {
    await queue.close();
  }
}, 60_000);
