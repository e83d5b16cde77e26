import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartPoints, chartTitle, qualityChartSpec } from './quality-chart-spec.ts';
import { renderChart } from '../src/sweeps/render-chart.ts';
import { renderHtml, type HtmlChart } from './report-html.ts';
import { renderMarkdown } from './report-markdown.ts';
import type { BenchResults } from './targets.ts';

/**
 * Everything derived from results.json: results.md, report.html and, when the quality section has
 * rows, quality-chart.svg and quality-chart.png. Used after a run and by `--report-only`, so the
 * report can be redrawn from a committed results.json without rerunning the benchmark.
 */

export const CHART_SVG = 'quality-chart.svg';
export const CHART_PNG = 'quality-chart.png';

export interface WrittenReport {
  readonly files: readonly string[];
  readonly warnings: readonly string[];
}

export async function writeReport(results: BenchResults, outDir: string): Promise<WrittenReport> {
  const files: string[] = [];
  const warnings: string[] = [];
  const write = (name: string, content: string | Buffer): void => {
    writeFileSync(join(outDir, name), content);
    files.push(name);
  };
  const points = chartPoints(results);
  let chart: HtmlChart | undefined;
  if (points.length > 0) {
    const spec = qualityChartSpec(points, chartTitle(results));
    const rendered = await renderChart(spec);
    write(CHART_SVG, rendered.svg);
    write(CHART_PNG, rendered.png);
    warnings.push(...rendered.warnings);
    chart = { file: CHART_PNG, spec, svg: rendered.svg };
  }
  const markdown = renderMarkdown(results, chart?.file);
  write('results.md', markdown);
  write('report.html', renderHtml(markdown, chart));
  return { files, warnings };
}
