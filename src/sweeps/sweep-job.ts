/**
 * The contract between a sweep and whatever runs its jobs (this process, or workers on a BullMQ
 * queue): one job is one image of one setting, decoded alone (batch 1) from its own seed, so a job's
 * tokens are the same wherever it runs.
 */

/** A scheduler choice: the sweep file's setting with the model's defaults filled in, as `generate` would (validated before any job runs). */
export interface SweepScheduler {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface SweepJob {
  /** Stable over re-runs: a hash of the model hash, the setting (name + canonical options), the seed, the prompt and the image index. */
  readonly id: string;
  /** Index of the setting in the expanded grid, and its human label (e.g. "maskgit steps=8 guidance=2"). */
  readonly setting: number;
  readonly settingLabel: string;
  readonly scheduler: SweepScheduler;
  /** The sweep's seed this job belongs to (the file lists seeds; each multiplies the jobs). */
  readonly seed: number;
  /** The image's index within (setting, seed): it names the job's own random stream. */
  readonly imageIndex: number;
  readonly prompt: string;
  /** The class the prompt asks for (per-class prompt sets), or null for free prompts. */
  readonly classIndex: number | null;
  /** sha256 of the model folder's files: a worker with another model refuses the job. */
  readonly modelHash: string;
}

export interface SweepJobResult {
  readonly id: string;
  readonly setting: number;
  readonly settingLabel: string;
  readonly seed: number;
  readonly imageIndex: number;
  readonly prompt: string;
  readonly classIndex: number | null;
  /** sha256 of the image codes (hex): equal results from equal tokens. */
  readonly tokensHash: string;
  readonly forwards: number;
  readonly wallMs: number;
  /** The evaluation classifier's label for the image, and its feature vector (FID pools these). */
  readonly predicted: number;
  readonly features: readonly number[];
  /** Who ran it: "in-process" or the worker's name. */
  readonly ranBy: string;
}

/** Runs a sweep's jobs somewhere; calls onResult once per finished job (never twice for one id). */
export interface SweepExecutor {
  run(jobs: readonly SweepJob[], options: {
    readonly onResult: (result: SweepJobResult) => void;
    /** Jobs already finished (resume): skipped. */
    readonly done: ReadonlySet<string>;
    readonly signal?: AbortSignal;
  }): Promise<void>;
  close(): Promise<void>;
}
