import type { RunSettings } from '../run-settings.ts';

/** What every task run gets besides its task: settings, output policy, and the abort signal. */
export interface TaskContext {
  readonly settings: RunSettings;
  readonly force: boolean;
  readonly scale: number;
  /** Images decoded together per forward (text-to-image). */
  readonly batchSize: number | undefined;
  readonly signal: AbortSignal;
  /** Progress and "wrote ..." lines. */
  readonly log: (line: string) => void;
  /** The task's answer (describe). */
  readonly print: (line: string) => void;
  /** A chat's --text-scheduler (over the config's schedulers.text); its image scheduler is `settings.scheduler`. */
  readonly textScheduler?: string;
}
