import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { SweepScheduler } from './sweep-job.ts';

export interface JobIdentity {
  readonly modelHash: string;
  readonly scheduler: SweepScheduler;
  readonly seed: number;
  readonly prompt: string;
  readonly imageIndex: number;
}

/**
 * A job's id: sha256 (hex) of everything that decides its image: the model, the scheduler's name
 * and canonical options (sorted keys), the seed, the prompt and the image index. The same sweep
 * gives the same ids on every run and machine, so finished jobs are recognised (resume) and a job
 * is never counted twice. The parts are hashed as one JSON array, so no two differ only in where
 * one part ends and the next begins.
 */
export function jobId(job: JobIdentity): string {
  const parts = [job.modelHash, job.scheduler.name, canonicalJson(job.scheduler.options), job.seed, job.prompt, job.imageIndex];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
