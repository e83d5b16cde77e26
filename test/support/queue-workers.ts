import { Queue } from 'bullmq';
import { afterAll, beforeAll } from 'vitest';
import { SweepJobRunner } from '../../src/sweeps/job-runner.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';
import { startCli, type CliRun } from './cli-process.ts';
import type { SweepJob, SweepScheduler } from '../../src/sweeps/sweep-job.ts';
import { jobId } from '../../src/sweeps/job-id.ts';
import { SWEEP_QUEUE_NAME } from '../../src/sweeps/queue/queue-settings.ts';

/** Lock settings short enough for a test: a killed worker's job is taken again within a few seconds. */
export const TEST_LOCK_FLAGS = ['--lock-duration', '2000', '--stalled-interval', '1000'] as const;

export interface WorkerProcess extends CliRun {
  readonly name: string;
}

/** `omnidecode worker --queue URL --name NAME` as a user starts it; resolves once it takes jobs. */
export async function startWorker(url: string, name: string, extra: readonly string[] = []): Promise<WorkerProcess> {
  const run = startCli(['worker', '--queue', url, '--name', name, '--threads', '1', ...TEST_LOCK_FLAGS, ...extra], process.cwd());
  await run.waitForStderr(/taking jobs from/);
  return { ...run, name };
}

/** Stops workers with SIGTERM and waits for them to end. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.done));
}

/** A small text-to-image sweep as the sweep command plans it: settings × images, one seed, ids from the job-id rule. */
export function sweepJobs(modelHash: string, schedulers: readonly SweepScheduler[], images: number, seed = 0): SweepJob[] {
  const prompts = ['a sneaker', 'a dark bag', 'a shirt'];
  return schedulers.flatMap((scheduler, setting) => Array.from({ length: images }, (_, imageIndex) => {
    const prompt = prompts[imageIndex % prompts.length] as string;
    const identity = { modelHash, scheduler, seed, prompt, imageIndex };
    return {
      ...identity, id: jobId(identity), setting,
      settingLabel: `${scheduler.name} ${Object.entries(scheduler.options).map(([key, value]) => `${key}=${String(value)}`).join(' ')}`,
      classIndex: null,
    };
  }));
}

/** A plain BullMQ handle on the sweep queue, for looking at (or writing raw) jobs the way a stranger could. */
export function sweepQueue(url: string): Queue {
  const { hostname, port } = new URL(url);
  return new Queue(SWEEP_QUEUE_NAME, { connection: { host: hostname, port: Number(port), maxRetriesPerRequest: null } });
}

/** A real Redis, an in-process job runner and one worker process for a test file: set up before all, torn down after. */
export interface OneWorkerFixture {
  readonly redis: RedisServer;
  readonly runner: SweepJobRunner;
  /** The worker; the test may stop it itself (afterAll then leaves it). */
  worker: WorkerProcess | undefined;
}

export function useOneWorker(): OneWorkerFixture {
  const fixture = { worker: undefined } as { redis: RedisServer; runner: SweepJobRunner; worker: WorkerProcess | undefined };
  beforeAll(async () => {
    fixture.redis = await startRedisServer();
    fixture.runner = await SweepJobRunner.load({ threads: 1 }, 'in-process');
    fixture.worker = await startWorker(fixture.redis.url, 'w1');
  });
  afterAll(async () => {
    if (fixture.worker !== undefined) await stopWorkers([fixture.worker]);
    await fixture.runner?.dispose();
    await fixture.redis?.stop();
  });
  return fixture;
}
