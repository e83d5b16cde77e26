import type { BenchResults } from './targets.ts';
import type { ChartPoint } from '../src/sweeps/quality-chart-spec.ts';

/** The bench's quality chart: the sweep's Vega-Lite spec (src/sweeps/quality-chart-spec.ts) over the quality section's rows. */
export {
  ACCURACY_TITLE, AR_SERIES, FID_TITLE, maskgitSeries, PLUGIN_SERIES, qualityChartSpec, SUBTITLE, X_TITLE, type ChartPoint,
} from '../src/sweeps/quality-chart-spec.ts';

/** The quality section's rows as chart points (empty when the section did not run). */
export function chartPoints(results: BenchResults): ChartPoint[] {
  return (results.quality?.rows ?? []).map((row) => ({
    label: row.label, family: row.family, scheduler: row.scheduler,
    guidance: typeof row.options.guidance === 'number' ? row.options.guidance : undefined,
    steps: typeof row.options.steps === 'number' ? row.options.steps : undefined,
    forwards: row.forwardPassesPerImage, wallMs: row.wall.medianMs, accuracy: row.accuracy, fid: row.frechetDistance,
  }));
}

/** The chart's title, from the run's model and machine. */
export function chartTitle(results: BenchResults): string {
  return `Quality vs speed: ${results.quality?.model?.name ?? 'embedded model'}, ${results.machine.cores} cores`;
}
