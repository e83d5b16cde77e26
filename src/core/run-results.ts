import type { DecodingRun } from './decoding-run.ts';
import { InvalidRequestError } from './errors.ts';
import type { GenerationResult, GenerationStats, PhaseStats, RowResult } from './generation-result.ts';

export function checkLength(length: number, maxPositions: number): void {
  if (length > maxPositions) {
    throw new InvalidRequestError('sequence length', length,
      `at most ${maxPositions} positions (the model's limit); shorten the prompt or the generated segments`);
  }
}

export function runStats(run: DecodingRun, phases: PhaseStats[], started: number): GenerationStats {
  return {
    forwardPasses: run.forwardPasses, wallMs: performance.now() - started, modelMs: run.modelMs,
    schedulerMs: run.schedulerMs, prefillMs: run.prefillMs, phases,
  };
}

/** Results of parts of one batch (layout groups, single streams) as one result, rows in request order. */
export function mergeResults(parts: readonly { indices: readonly number[]; result: GenerationResult }[], total: number, started: number): GenerationResult {
  const rows: (RowResult | undefined)[] = new Array<RowResult | undefined>(total);
  let forwardPasses = 0;
  let modelMs = 0;
  let schedulerMs = 0;
  let prefillMs = 0;
  const phases: PhaseStats[] = [];
  for (const { indices, result } of parts) {
    indices.forEach((index, i) => { rows[index] = result.rows[i]; });
    forwardPasses += result.stats.forwardPasses;
    modelMs += result.stats.modelMs;
    schedulerMs += result.stats.schedulerMs;
    prefillMs += result.stats.prefillMs;
    phases.push(...result.stats.phases);
  }
  return {
    rows: rows.map((row) => row as RowResult),
    stats: { forwardPasses, wallMs: performance.now() - started, modelMs, schedulerMs, prefillMs, phases },
  };
}
