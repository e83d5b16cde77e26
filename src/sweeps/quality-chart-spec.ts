import type { TopLevelSpec } from 'vega-lite';

/**
 * The quality-vs-speed chart as a Vega-Lite spec: class accuracy (left) and Fréchet distance (right)
 * against batch-1 wall time per image (log scale), one point per setting; AR, maskgit (coloured by
 * guidance, labelled with its step count T) and plugin schedulers in different marks. The same spec
 * renders the static SVG/PNG of a sweep's results folder, the bench's chart and the interactive chart of
 * the bench's report.html.
 */

export interface ChartPoint {
  readonly label: string;
  readonly family: 'autoregressive' | 'maskgit' | 'plugin';
  readonly scheduler: string;
  readonly guidance: number | undefined;
  readonly steps: number | undefined;
  readonly forwards: number;
  readonly wallMs: number;
  readonly accuracy: number;
  readonly fid: number;
}

export const X_TITLE = 'wall ms per image (batch 1, log scale)';
export const ACCURACY_TITLE = 'class accuracy';
export const FID_TITLE = 'FID (classifier features)';
export const AR_SERIES = 'AR raster + KV cache';
export const PLUGIN_SERIES = 'plugin scheduler';
export const maskgitSeries = (guidance: number): string => `maskgit w=${guidance}`;
export const SUBTITLE = 'x: median over the setting\'s images; numbers beside maskgit points: steps T; w: guidance scale';

// resvg has no fontconfig aliases: it takes the first family installed, so list the usual ones.
const FONT = "'DejaVu Sans', Helvetica, Arial, sans-serif";
const AR_COLOR = '#cc1a1a';
const PLUGIN_COLOR = '#1a9933';
const GUIDANCE_COLORS = ['#2659d9', '#f28c0d', '#8c33b3', '#4db3cc'];
// Drawn first to last, so AR stays on top of the maskgit cloud.
const FAMILY_ORDER: readonly ChartPoint['family'][] = ['maskgit', 'plugin', 'autoregressive'];

/** One side-by-side panel, as Vega-Lite's own types define it. */
type Panel = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

function seriesOf(point: ChartPoint): string {
  if (point.family === 'autoregressive') return AR_SERIES;
  if (point.family === 'plugin') return PLUGIN_SERIES;
  return maskgitSeries(point.guidance ?? 0);
}

/** The short text beside each mark, as on the old chart: T for maskgit, "AR", the plugin's name. */
function tagOf(point: ChartPoint): string {
  if (point.family === 'autoregressive') return 'AR';
  if (point.family === 'plugin') return point.label.split(' ')[0] ?? '';
  return point.steps === undefined ? '' : String(point.steps);
}

// JSON has no NaN or Infinity: a missing figure becomes null, which Vega-Lite leaves unplotted.
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Log-axis ticks at 1, 2, 5 × 10^k inside the domain, like the old chart's grid. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** power;
      if (value >= min * 0.999 && value <= max * 1.001) ticks.push(value);
    }
  }
  return ticks;
}

/** Whole decades around the wall times, at least one decade wide. */
function wallDomain(points: readonly ChartPoint[]): [number, number] {
  const walls = points.map((p) => p.wallMs).filter((ms) => Number.isFinite(ms) && ms > 0);
  if (walls.length === 0) return [1, 1000];
  const min = 10 ** Math.floor(Math.log10(Math.min(...walls)));
  return [min, Math.max(10 ** Math.ceil(Math.log10(Math.max(...walls))), min * 10)];
}

export function qualityChartSpec(points: readonly ChartPoint[], title: string): TopLevelSpec {
  const levels = [...new Set(points.filter((p) => p.family === 'maskgit').map((p) => p.guidance ?? 0))].sort((a, b) => a - b);
  const series: string[] = [];
  const colors: string[] = [];
  const shapes: string[] = [];
  const add = (name: string, color: string, shape: string): void => {
    series.push(name);
    colors.push(color);
    shapes.push(shape);
  };
  if (points.some((p) => p.family === 'autoregressive')) add(AR_SERIES, AR_COLOR, 'square');
  levels.forEach((level, i) => add(maskgitSeries(level), GUIDANCE_COLORS[i % GUIDANCE_COLORS.length] as string, 'circle'));
  if (points.some((p) => p.family === 'plugin')) add(PLUGIN_SERIES, PLUGIN_COLOR, 'triangle-up');

  const values = [...points]
    .sort((a, b) => FAMILY_ORDER.indexOf(a.family) - FAMILY_ORDER.indexOf(b.family))
    .map((p) => ({
      setting: p.label, scheduler: p.scheduler, series: seriesOf(p), tag: tagOf(p), forwards: p.forwards,
      wallMs: finite(p.wallMs), accuracy: finite(p.accuracy), fid: finite(p.fid),
    }));
  const [xMin, xMax] = wallDomain(points);
  const panel = (field: 'accuracy' | 'fid', panelTitle: string, yTitle: string): Panel => ({
    title: panelTitle, width: 480, height: 360,
    encoding: {
      x: {
        field: 'wallMs', type: 'quantitative', title: X_TITLE,
        scale: { type: 'log', domain: [xMin, xMax] },
        axis: { values: logTicks(xMin, xMax), labelExpr: "datum.value >= 1000 ? format(datum.value / 1000, '~g') + 'k' : format(datum.value, '~g')" },
      },
      y: field === 'accuracy'
        ? { field, type: 'quantitative', title: yTitle, scale: { domain: [0, 1] }, axis: { format: '~%' } }
        : { field, type: 'quantitative', title: yTitle, scale: { zero: true, nice: true } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: colors } },
    },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 80, opacity: 1 },
        encoding: {
          shape: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: shapes } },
          tooltip: [
            { field: 'setting', type: 'nominal' },
            { field: 'scheduler', type: 'nominal' },
            { field: 'forwards', type: 'quantitative', title: 'forwards / image' },
            { field: 'wallMs', type: 'quantitative', title: 'wall ms / image (median)', format: '.2f' },
            { field: 'accuracy', type: 'quantitative', title: ACCURACY_TITLE, format: '.0%' },
            { field: 'fid', type: 'quantitative', title: 'FID', format: '.1f' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', baseline: 'middle', dx: 8, fontSize: 10 }, encoding: { text: { field: 'tag' } } },
    ],
  });

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: SUBTITLE, anchor: 'start', fontSize: 18, subtitleFontSize: 12, offset: 16 },
    background: 'white',
    padding: 16,
    data: { values },
    hconcat: [
      panel('accuracy', 'Class accuracy', ACCURACY_TITLE),
      panel('fid', 'Fréchet distance (lower is better)', FID_TITLE),
    ],
    spacing: 40,
    resolve: { scale: { color: 'shared', shape: 'shared' } },
    config: {
      font: FONT,
      // One row of entries; labelLimit 0 because headless Vega only estimates text widths and would cut them.
      legend: { orient: 'bottom', direction: 'horizontal', columns: series.length, labelFontSize: 12, labelLimit: 0, symbolSize: 100, columnPadding: 24, offset: 24 },
      axis: { titleFontSize: 12, labelFontSize: 11, gridColor: '#e0e0e0' },
      title: { anchor: 'start', fontSize: 14 },
    },
  };
}
