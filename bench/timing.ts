import { Bench } from 'tinybench';

/** Wall-clock samples of one measured task, in milliseconds. */
export interface TimingSummary {
  readonly samples: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Sample standard deviation (0 for one sample). */
  readonly sdMs: number;
  /** Every timed sample, in ms (sorted). */
  readonly samplesMs: readonly number[];
}

export interface MeasureOptions {
  /** Timed runs (after the warm-up). */
  readonly iterations: number;
  /** Untimed runs first (session warm-up, allocations); default 1. */
  readonly warmup?: number;
}

/**
 * Runs `task` exactly `warmup` + `iterations` times with tinybench (time budget 0, so the iteration
 * count alone decides) and returns the latency statistics of the timed runs. Each call is one
 * sample: a whole image or a whole generation, never a batch mean.
 */
export async function measure(name: string, task: () => Promise<unknown>, options: MeasureOptions): Promise<TimingSummary> {
  const warmup = options.warmup ?? 1;
  const bench = new Bench({
    name, iterations: Math.max(1, options.iterations), time: 0,
    warmup: warmup > 0, warmupIterations: Math.max(1, warmup), warmupTime: 0,
    retainSamples: true, throws: true,
  });
  bench.add(name, task, { async: true });
  const [done] = await bench.run();
  const result = done?.result;
  if (result === undefined || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    const reason = result?.state === 'errored' ? result.error.message : result?.state ?? 'no result';
    throw new Error(`benchmark task "${name}" did not complete: ${reason}`);
  }
  const { latency } = result;
  return {
    samples: latency.samplesCount, medianMs: latency.p50, minMs: latency.min, maxMs: latency.max,
    meanMs: latency.mean, sdMs: Number.isFinite(latency.sd) ? latency.sd : 0,
    samplesMs: latency.samples === undefined ? [] : [...latency.samples],
  };
}

/** Statistics of samples gathered over several measure() calls (e.g. interleaved A/B rounds). */
export function summarize(samples: readonly number[]): TimingSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const count = sorted.length;
  const mean = count === 0 ? Number.NaN : sum(sorted) / count;
  const variance = count < 2 ? 0 : sorted.reduce((total, value) => total + (value - mean) ** 2, 0) / (count - 1);
  return {
    samples: count, medianMs: median(sorted), minMs: sorted[0] ?? Number.NaN, maxMs: sorted[count - 1] ?? Number.NaN,
    meanMs: mean, sdMs: Math.sqrt(variance), samplesMs: sorted,
  };
}

/**
 * Measures tasks in interleaved rounds (A, B, C, A, B, C, ...), one tinybench sample each, so
 * drift in machine load hits every task alike and their ratio is measured under the same conditions.
 */
export async function measureInterleaved(tasks: readonly { name: string; run: () => Promise<unknown> }[], rounds: number): Promise<TimingSummary[]> {
  const samples = tasks.map(() => [] as number[]);
  for (let round = 0; round < Math.max(1, rounds); round++) {
    for (const [index, task] of tasks.entries()) {
      const summary = await measure(task.name, task.run, { iterations: 1, warmup: 0 });
      samples[index]?.push(...summary.samplesMs);
    }
  }
  return samples.map((list) => summarize(list));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] as number : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
