import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ACCURACY_TITLE, AR_SERIES, chartPoints, chartTitle, FID_TITLE, maskgitSeries, PLUGIN_SERIES, qualityChartSpec, X_TITLE,
} from '../bench/quality-chart-spec.ts';
import { renderChart } from '../src/sweeps/render-chart.ts';
import type { QualityRow } from '../bench/quality-vs-speed.ts';
import type { BenchResults } from '../bench/targets.ts';
import { writeReport } from '../bench/write-report.ts';

/**
 * The bench chart (Vega-Lite → SVG → PNG) drawn from a small results object: the SVG has the axis
 * titles, one legend entry per series and one mark per point in each panel; the PNG is a PNG of the
 * asked width; report.html embeds the interactive chart beside the Markdown's tables.
 */

function row(label: string, family: QualityRow['family'], options: Record<string, unknown>, medianMs: number, accuracy: number, fid: number): QualityRow {
  return {
    label, family, scheduler: family === 'plugin' ? label.split(' ')[0] as string : family, options, source: 'built-in',
    forwardPassesPerImage: typeof options.steps === 'number' ? options.steps + 1 : 49,
    wall: { samples: 3, medianMs, minMs: medianMs * 0.9, maxMs: medianMs * 1.2, meanMs: medianMs, sdMs: 1, samplesMs: [medianMs] },
    engineOverhead: 0.05, images: 10, accuracy, perClass: [accuracy], frechetDistance: fid,
  };
}

const rows = [
  row('autoregressive w=2', 'autoregressive', { guidance: 2 }, 21.9, 0.96, 16.4),
  row('maskgit T=4 cosine w=0', 'maskgit', { steps: 4, guidance: 0 }, 6.4, 0.93, 28.9),
  row('maskgit T=8 cosine w=2', 'maskgit', { steps: 8, guidance: 2 }, 29.4, 1, 35.3),
  row('maskgit T=16 cosine w=2', 'maskgit', { steps: 16, guidance: 2 }, 37.3, 1, 33.0),
  row('halton T=12 (plugin defaults)', 'plugin', { steps: 12 }, 27.8, 0.83, 25.1),
];

const results: BenchResults = {
  machine: {
    cores: 2, cpuModel: 'test CPU', node: 'v20', onnxruntime: '1.30.0', transformersJs: undefined, tinybench: '6', platform: 'linux x64',
    memoryGiB: 8, loadAverageAtStart: 0, commit: undefined, date: '2025-01-01',
  },
  mode: 'quick', sections: ['quality'], sectionTimings: {}, totalSeconds: 1, errors: [], targets: [],
  quality: { status: 'measured', modelDir: 'models/default', rows, notes: [] },
};

/** The <text> contents of every Vega mark group whose class starts with `role`. */
function texts(svg: string, role: string): string[] {
  const groups = svg.split(`<g class="${role}`).slice(1).map((rest) => rest.slice(0, rest.indexOf('</g>')));
  return groups.flatMap((group) => [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string));
}

/** How many <path> marks the symbol-mark groups (the data points, not legend symbols) hold. */
function pointMarks(svg: string): number {
  const groups = svg.split('<g class="mark-symbol role-mark').slice(1).map((rest) => rest.slice(0, rest.indexOf('</g>')));
  return groups.reduce((sum, group) => sum + (group.match(/<path /g)?.length ?? 0), 0);
}

describe('bench chart from results', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('draws axes, legend and one mark per point, as SVG and as a PNG of the asked width', async () => {
    const points = chartPoints(results);
    const chart = await renderChart(qualityChartSpec(points, chartTitle(results)), 900);

    const axisTitles = texts(chart.svg, 'mark-text role-axis-title');
    expect(axisTitles).toEqual(expect.arrayContaining([X_TITLE, ACCURACY_TITLE, FID_TITLE]));
    expect(axisTitles.filter((title) => title === X_TITLE)).toHaveLength(2);
    expect(texts(chart.svg, 'mark-text role-legend-label')).toEqual([AR_SERIES, maskgitSeries(0), maskgitSeries(2), PLUGIN_SERIES]);
    expect(texts(chart.svg, 'mark-text role-title-text')).toContain(chartTitle(results));
    // Both panels (accuracy and FID) draw every point once.
    expect(pointMarks(chart.svg)).toBe(2 * rows.length);

    expect([...chart.png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(chart.png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(chart.png.readUInt32BE(16)).toBe(900);
    expect(chart.png.readUInt32BE(20)).toBeGreaterThan(300);
  });

  it('writes the SVG, the PNG and a report.html holding the tables and the interactive chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omnidecode-bench-report-'));
    dirs.push(dir);
    const report = await writeReport(results, dir);
    expect(report.files).toEqual(expect.arrayContaining(['quality-chart.svg', 'quality-chart.png', 'results.md', 'report.html']));

    const markdown = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(markdown).toContain('](quality-chart.png)');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<table>');
    expect(html).toContain('maskgit T=16 cosine w=2');
    expect(html).toContain('<div id="quality-chart"');
    expect(html).toContain("vegaEmbed('#quality-chart'");
    expect(html).toContain('"tooltip"');
    // Offline: no script is fetched from elsewhere, and nothing closes a script early.
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html.match(/<script>/g)?.length).toBe(html.match(/<\/script>/g)?.length);
  });
});
