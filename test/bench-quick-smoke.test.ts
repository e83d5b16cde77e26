import { describe, expect, it } from 'vitest';
import type { BenchContext } from '../bench/bench-context.ts';
import { runEngineOverhead } from '../bench/engine-overhead.ts';
import { runPeer } from '../bench/peer-transformers-js.ts';
import { runScaling } from '../bench/scaling.ts';
import { evaluateTargets } from '../bench/targets.ts';
import { machineInfo } from '../bench/machine-info.ts';

/**
 * The benchmark's quick mode on tiny synthetic models (the quality section needs the trained model
 * and is covered by `npm run bench -- --quick`). Timings are not asserted — only that every
 * baseline decodes the same tokens as the cached run and transformers.js agrees with our engine.
 */
describe('bench quick mode', () => {
  const context: BenchContext = {
    quick: true, modelDir: '/nonexistent-model-folder', root: process.cwd(), threads: 1, log: () => undefined, engineRuns: [],
  };

  it('scaling: baselines without caches produce the cached runs\' tokens', async () => {
    const report = await runScaling(context);
    expect(report.runs.some((run) => run.setting === 'autoregressive (KV cache)')).toBe(true);
    expect(report.runs.filter((run) => run.setting.startsWith('maskgit T=')).map((run) => run.forwardPasses)).toEqual(expect.arrayContaining([17, 19, 51]));
    expect(report.arCache.length).toBeGreaterThan(0);
    for (const row of report.arCache) expect(row.identical).toBe('yes');
    for (const run of report.runs) if (run.sameTokensAsCached !== undefined) expect(run.sameTokensAsCached).toBe('yes');
    expect(report.stepProfiles.every((profile) => profile.points.length > 0)).toBe(true);
    expect(report.guidanceBatching.length).toBe(2);
  });

  it('peer: transformers.js loads the synthetic decoder and the synthetic Janus folder and decodes the same tokens', async () => {
    const report = await runPeer(context);
    expect(report.error).toBeUndefined();
    expect(report.identical).toBe('yes');
    expect(report.ours?.newTokens).toBeGreaterThan(0);
    expect(report.ours?.newTokens).toBe(report.transformersJs?.newTokens);
    // Janus-layout image generation: the same codes and pixels as generate_images, timed on both sides.
    expect(report.janusImages?.error).toBeUndefined();
    expect(report.janusImages?.identical).toBe('yes');
    expect(report.janusImages?.ratio).toBeGreaterThan(0);
  });

  it('engine overhead and targets summarise the runs', async () => {
    const overhead = await runEngineOverhead(context);
    expect(overhead.rows.length).toBeGreaterThan(0);
    for (const row of overhead.rows) expect(row.overhead).toBeLessThan(1);
    const targets = evaluateTargets({
      machine: machineInfo(), mode: 'quick', sections: ['engine-overhead'], sectionTimings: {}, totalSeconds: 0, errors: [], engineOverhead: overhead,
    });
    expect(targets).toHaveLength(8);
    expect(targets.every((target) => target.status === 'not measured')).toBe(true);
  });
});
