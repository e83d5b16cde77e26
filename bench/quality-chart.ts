import { encodePng, type RgbImage } from '../src/tokenizers/png-image.ts';
import { GLYPH_WIDTH, glyph, textWidth } from './bitmap-font.ts';

/**
 * The quality-vs-speed chart, drawn into an RGB pixel buffer and encoded with encodePng: class
 * accuracy (left) and Fréchet distance (right) against batch-1 wall time per image (log scale),
 * one point per setting; AR, maskgit (coloured by guidance) and plugin schedulers in different marks.
 */

export interface ChartPoint {
  readonly label: string;
  readonly family: 'autoregressive' | 'maskgit' | 'plugin';
  readonly guidance: number | undefined;
  readonly steps: number | undefined;
  readonly wallMs: number;
  readonly accuracy: number;
  readonly fid: number;
}

type Color = readonly [number, number, number];

const WHITE: Color = [1, 1, 1];
const BLACK: Color = [0, 0, 0];
const GRID: Color = [0.88, 0.88, 0.88];
const AXIS: Color = [0.25, 0.25, 0.25];
const AR_COLOR: Color = [0.8, 0.1, 0.1];
const PLUGIN_COLOR: Color = [0.1, 0.6, 0.2];
const GUIDANCE_COLORS: readonly Color[] = [[0.15, 0.35, 0.85], [0.95, 0.55, 0.05], [0.55, 0.2, 0.7], [0.3, 0.7, 0.8]];

class Canvas {
  readonly rgb: Float32Array;
  constructor(readonly width: number, readonly height: number) {
    this.rgb = new Float32Array(width * height * 3).fill(1);
  }

  set(x: number, y: number, color: Color): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const at = (py * this.width + px) * 3;
    this.rgb[at] = color[0];
    this.rgb[at + 1] = color[1];
    this.rgb[at + 2] = color[2];
  }

  rect(x: number, y: number, w: number, h: number, color: Color): void {
    for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) this.set(x + dx, y + dy, color);
  }

  line(x0: number, y0: number, x1: number, y1: number, color: Color): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let i = 0; i <= steps; i++) this.set(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, color);
  }

  text(text: string, x: number, y: number, color: Color, scale = 1): void {
    let cursor = x;
    for (const char of text) {
      const rows = glyph(char);
      rows.forEach((row, ry) => {
        for (let rx = 0; rx < GLYPH_WIDTH; rx++) {
          if (row[rx] === '#') this.rect(cursor + rx * scale, y + ry * scale, scale, scale, color);
        }
      });
      cursor += (GLYPH_WIDTH + 1) * scale;
    }
  }

  /** Text rotated 90° counter-clockwise (reads bottom to top), its left end at (x, y). */
  textUp(text: string, x: number, y: number, color: Color, scale = 1): void {
    let cursor = y;
    for (const char of text) {
      const rows = glyph(char);
      rows.forEach((row, ry) => {
        for (let rx = 0; rx < GLYPH_WIDTH; rx++) {
          if (row[rx] === '#') this.rect(x + ry * scale, cursor - rx * scale, scale, scale, color);
        }
      });
      cursor -= (GLYPH_WIDTH + 1) * scale;
    }
  }

  marker(kind: ChartPoint['family'], x: number, y: number, color: Color): void {
    const r = 4;
    if (kind === 'autoregressive') {
      this.rect(x - r, y - r, 2 * r + 1, 2 * r + 1, color);
      return;
    }
    if (kind === 'plugin') {
      for (let dy = -r; dy <= r; dy++) {
        const half = Math.round(((dy + r) / (2 * r)) * r);
        for (let dx = -half; dx <= half; dx++) this.set(x + dx, y + dy, color);
      }
      return;
    }
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r + 1) this.set(x + dx, y + dy, color);
  }
}

function niceStep(range: number, ticks: number): number {
  const raw = range / Math.max(1, ticks);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function formatTick(value: number): string {
  if (value >= 1000) return `${Math.round(value / 100) / 10}k`.replace('.0k', 'k');
  if (value >= 10) return String(Math.round(value));
  return String(Math.round(value * 10) / 10);
}

function guidanceColor(guidance: number | undefined, levels: readonly number[]): Color {
  const index = guidance === undefined ? -1 : levels.indexOf(guidance);
  return GUIDANCE_COLORS[Math.max(0, index) % GUIDANCE_COLORS.length] as Color;
}

interface Panel {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly yLabel: string;
  readonly value: (point: ChartPoint) => number;
  readonly yMax: number;
  readonly yFormat: (value: number) => string;
}

function drawPanel(canvas: Canvas, panel: Panel, points: readonly ChartPoint[], xMin: number, xMax: number, levels: readonly number[]): void {
  const left = panel.x + 64;
  const right = panel.x + panel.width - 16;
  const top = panel.y + 30;
  const bottom = panel.y + panel.height - 46;
  const lx0 = Math.log10(xMin);
  const lx1 = Math.log10(xMax);
  const px = (ms: number): number => left + ((Math.log10(ms) - lx0) / (lx1 - lx0)) * (right - left);
  const py = (value: number): number => bottom - (Math.min(value, panel.yMax) / panel.yMax) * (bottom - top);

  canvas.text(panel.title, left, panel.y + 8, BLACK, 2);
  // Horizontal grid and y ticks.
  const yStep = niceStep(panel.yMax, 5);
  for (let value = 0; value <= panel.yMax + 1e-9; value += yStep) {
    const y = py(value);
    canvas.line(left, y, right, y, GRID);
    const label = panel.yFormat(value);
    canvas.text(label, left - 6 - textWidth(label), y - 3, AXIS);
  }
  // Vertical grid at 1, 2, 5 x 10^k.
  for (let power = Math.floor(lx0); power <= Math.ceil(lx1); power++) {
    for (const m of [1, 2, 5]) {
      const ms = m * 10 ** power;
      if (ms < xMin * 0.999 || ms > xMax * 1.001) continue;
      const x = px(ms);
      canvas.line(x, top, x, bottom, GRID);
      const label = formatTick(ms);
      canvas.text(label, x - textWidth(label) / 2, bottom + 6, AXIS);
    }
  }
  canvas.line(left, top, left, bottom, AXIS);
  canvas.line(left, bottom, right, bottom, AXIS);
  const xTitle = 'WALL MS PER IMAGE (BATCH 1, LOG SCALE)';
  canvas.text(xTitle, (left + right) / 2 - textWidth(xTitle) / 2, bottom + 22, BLACK);
  canvas.textUp(panel.yLabel, panel.x + 6, (top + bottom) / 2 + textWidth(panel.yLabel) / 2, BLACK);

  // maskgit first, then plugins, then AR on top.
  const order: ChartPoint['family'][] = ['maskgit', 'plugin', 'autoregressive'];
  for (const family of order) {
    for (const point of points.filter((p) => p.family === family)) {
      const value = panel.value(point);
      if (!Number.isFinite(value) || !Number.isFinite(point.wallMs) || point.wallMs <= 0) continue;
      const x = px(point.wallMs);
      const y = py(value);
      const color = family === 'autoregressive' ? AR_COLOR : family === 'plugin' ? PLUGIN_COLOR : guidanceColor(point.guidance, levels);
      canvas.marker(family, x, y, color);
      if (family === 'maskgit' && point.steps !== undefined) canvas.text(String(point.steps), x + 6, y - 3, color);
      if (family === 'autoregressive') canvas.text('AR', x + 7, y - 3, color);
      if (family === 'plugin') canvas.text(point.label.split(' ')[0] ?? '', x + 7, y - 3, color);
    }
  }
}

/** The chart as PNG bytes. */
export function renderQualityChart(points: readonly ChartPoint[], title: string): Buffer {
  const width = 1200;
  const height = 560;
  const canvas = new Canvas(width, height);
  canvas.rect(0, 0, width, height, WHITE);
  canvas.text(title, 16, 10, BLACK, 2);
  const walls = points.map((p) => p.wallMs).filter((ms) => Number.isFinite(ms) && ms > 0);
  const xMin = walls.length === 0 ? 1 : 10 ** Math.floor(Math.log10(Math.min(...walls)));
  const xMax = walls.length === 0 ? 1000 : Math.max(10 ** Math.ceil(Math.log10(Math.max(...walls))), xMin * 10);
  const levels = [...new Set(points.filter((p) => p.family === 'maskgit').map((p) => p.guidance ?? 0))].sort((a, b) => a - b);
  const fids = points.map((p) => p.fid).filter((v) => Number.isFinite(v));
  const fidMax = Math.max(niceStep(Math.max(...fids, 1), 5) * Math.ceil(Math.max(...fids, 1) / niceStep(Math.max(...fids, 1), 5)), 1);
  const panelTop = 40;
  const panelHeight = height - panelTop - 40;
  drawPanel(canvas, {
    x: 0, y: panelTop, width: width / 2, height: panelHeight, title: 'CLASS ACCURACY', yLabel: 'CLASS ACCURACY %',
    value: (p) => p.accuracy * 100, yMax: 100, yFormat: (v) => `${Math.round(v)}`,
  }, points, xMin, xMax, levels);
  drawPanel(canvas, {
    x: width / 2, y: panelTop, width: width / 2, height: panelHeight, title: 'FRECHET DISTANCE (LOWER IS BETTER)', yLabel: 'FID (CLASSIFIER FEATURES)',
    value: (p) => p.fid, yMax: fidMax, yFormat: (v) => formatTick(v),
  }, points, xMin, xMax, levels);

  // Legend along the bottom.
  let x = 70;
  const y = height - 22;
  const entry = (family: ChartPoint['family'], color: Color, label: string): void => {
    canvas.marker(family, x, y + 3, color);
    canvas.text(label, x + 10, y, BLACK);
    x += textWidth(label) + 36;
  };
  entry('autoregressive', AR_COLOR, 'AR RASTER + KV CACHE');
  for (const level of levels) entry('maskgit', guidanceColor(level, levels), `MASKGIT W=${level} (NUMBER = STEPS T)`);
  if (points.some((p) => p.family === 'plugin')) entry('plugin', PLUGIN_COLOR, 'PLUGIN SCHEDULER');
  const image: RgbImage = { width, height, rgb: canvas.rgb };
  return encodePng(image);
}
