import type { GenerationStats } from '../src/core/generation-result.ts';
import { currentLoad } from './machine-info.ts';

/** One engine generation, as the overhead section sees it. */
export interface EngineRunRecord {
  /** Where it ran: 'embedded model' or a synthetic model name. */
  readonly context: string;
  readonly scheduler: string;
  readonly wallMs: number;
  readonly modelMs: number;
  readonly schedulerMs: number;
  readonly forwardPasses: number;
}

/** Settings and shared state handed to every section. */
export interface BenchContext {
  readonly quick: boolean;
  /** Model folder for the quality section. */
  readonly modelDir: string;
  /** Repository root (plugins/ lives there). */
  readonly root: string;
  /** onnxruntime intra-op threads for every session we create (the machine's cores). */
  readonly threads: number;
  /** Quality section: images per class, overriding the budget-based sizing. */
  readonly perClass?: number;
  readonly log: (message: string) => void;
  /** Every engine run the sections timed, for the engine-overhead section. */
  readonly engineRuns: EngineRunRecord[];
}

export function recordRun(context: BenchContext, where: string, scheduler: string, stats: GenerationStats): void {
  context.engineRuns.push({
    context: where, scheduler, wallMs: stats.wallMs, modelMs: stats.modelMs, schedulerMs: stats.schedulerMs, forwardPasses: stats.forwardPasses,
  });
}

/** Load average before and after a section, and how long it took. */
export interface SectionTiming {
  readonly seconds: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

export async function timeSection<T>(run: () => Promise<T>): Promise<{ value: T; timing: SectionTiming }> {
  const loadBefore = currentLoad();
  const started = performance.now();
  const value = await run();
  return { value, timing: { seconds: Math.round((performance.now() - started) / 100) / 10, loadBefore, loadAfter: currentLoad() } };
}
