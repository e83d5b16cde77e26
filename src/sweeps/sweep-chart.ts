import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qualityChartSpec, type ChartPoint } from './quality-chart-spec.ts';
import { ChartPackagesMissingError, renderChart, type ModuleImporter } from './render-chart.ts';
import { SWEEP_FILES } from './results-folder.ts';
import type { SweepSummary } from './sweep-summary.ts';

/** Which mark a scheduler gets on the chart: AR and maskgit their own, every other (plugin) scheduler one. */
export function chartFamily(scheduler: string): ChartPoint['family'] {
  if (scheduler === 'autoregressive') return 'autoregressive';
  return scheduler === 'maskgit' ? 'maskgit' : 'plugin';
}

/** One point per setting with images (a figure it lacks is left unplotted). */
export function sweepChartPoints(summary: SweepSummary): ChartPoint[] {
  return summary.settings.filter((setting) => setting.images > 0).map((setting) => ({
    label: setting.label, family: chartFamily(setting.scheduler), scheduler: setting.scheduler,
    guidance: typeof setting.options.guidance === 'number' ? setting.options.guidance : undefined,
    steps: typeof setting.options.steps === 'number' ? setting.options.steps : undefined,
    forwards: setting.forwardsPerImage ?? Number.NaN, wallMs: setting.wallMs?.median ?? Number.NaN,
    accuracy: setting.accuracy ?? Number.NaN, fid: setting.fid ?? Number.NaN,
  }));
}

export type SweepChartOutcome =
  | { readonly drawn: true; readonly files: readonly string[]; readonly warnings: readonly string[] }
  | { readonly drawn: false; readonly reason: string };

/**
 * Writes quality-chart.svg and .png into the results folder when the chart packages are installed
 * (a clone has them; an installed package may not: see render-chart.ts); otherwise says why not.
 */
export async function writeSweepChart(summary: SweepSummary, dir: string, importer?: ModuleImporter): Promise<SweepChartOutcome> {
  const points = sweepChartPoints(summary);
  if (points.length === 0) return { drawn: false, reason: 'no setting has images yet' };
  const spec = qualityChartSpec(points, `Quality vs speed: ${summary.model.name}, ${summary.run.cores} cores`);
  try {
    const rendered = await renderChart(spec, undefined, importer);
    writeFileSync(join(dir, SWEEP_FILES.chartSvg), rendered.svg);
    writeFileSync(join(dir, SWEEP_FILES.chartPng), rendered.png);
    return { drawn: true, files: [SWEEP_FILES.chartSvg, SWEEP_FILES.chartPng], warnings: rendered.warnings };
  } catch (error) {
    if (error instanceof ChartPackagesMissingError) return { drawn: false, reason: error.message };
    throw error;
  }
}
