import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSweepChart } from '../src/sweeps/sweep-chart.ts';
import type { SweepSummary } from '../src/sweeps/sweep-summary.ts';

/**
 * vega, vega-lite and @resvg/resvg-js are development dependencies: an installed omnidecode may lack
 * them. The sweep then writes no chart and says which packages would draw it; with them (a clone),
 * the chart's SVG and PNG are written with one mark per setting.
 */
const summary: SweepSummary = {
  model: { dir: '/m', name: 'test-model', hash: 'h' },
  jobs: { planned: 4, finished: 4, missing: 0, foreignLines: 0 },
  run: { ran: 4, wallSeconds: 1, jobsPerSecond: 4, cores: 2, ranBy: ['in-process'] },
  fidReference: { count: 10, dimension: 2 },
  classNames: ['a', 'b'],
  settings: [
    { index: 0, label: 'maskgit steps=4', path: 'grid[0]', scheduler: 'maskgit', options: { steps: 4, guidance: 2 }, jobs: 2, images: 2, classImages: 2, accuracy: 0.5, perClass: [1, 0], fid: 12, wallMs: { median: 5, mean: 5, min: 4, max: 6 }, forwardsPerImage: 5 },
    { index: 1, label: 'halton steps=8', path: 'grid[1]', scheduler: 'halton', options: { steps: 8 }, jobs: 2, images: 2, classImages: 0, accuracy: null, perClass: null, fid: 20, wallMs: { median: 9, mean: 9, min: 8, max: 10 }, forwardsPerImage: 9 },
  ],
  notes: [],
};

describe('sweep chart', () => {
  it('is skipped with the packages to install when they cannot be imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-chart-'));
    const missing = async (name: string): Promise<unknown> => {
      if (name === 'vega') throw new Error("Cannot find package 'vega' imported from omnidecode");
      return import(name);
    };
    const outcome = await writeSweepChart(summary, dir, missing);
    expect(outcome.drawn).toBe(false);
    expect(outcome.drawn ? '' : outcome.reason).toMatch(/needs vega, vega-lite, @resvg\/resvg-js \(Cannot find package 'vega'.*\); install them with `npm install vega vega-lite @resvg\/resvg-js`/);
    expect(existsSync(join(dir, 'quality-chart.svg'))).toBe(false);
  });

  it('is drawn, one mark per setting, when they can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-chart-'));
    const outcome = await writeSweepChart(summary, dir);
    expect(outcome).toMatchObject({ drawn: true, files: ['quality-chart.svg', 'quality-chart.png'] });
    const svg = readFileSync(join(dir, 'quality-chart.svg'), 'utf8');
    expect(svg).toContain('Quality vs speed: test-model, 2 cores');
    expect(readFileSync(join(dir, 'quality-chart.png')).subarray(1, 4).toString()).toBe('PNG');
  });
});
