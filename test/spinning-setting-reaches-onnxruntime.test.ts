import { describe, expect, it } from 'vitest';
import { OnnxGraph } from '../src/backends/onnx/onnx-graph.ts';
import { DEFAULT_ALLOW_SPINNING, ortSessionOptions } from '../src/backends/onnx/onnx-session.ts';

/**
 * `allowSpinning` becomes onnxruntime's session.intra_op.allow_spinning entry, and it takes effect:
 * with spinning on, two intra-op threads busy-wait after every run, so the process burns CPU time
 * between runs; with it off they sleep. Measured as process CPU time over runs with pauses between.
 */

const CLASSIFIER = 'models/default/onnx/classifier.onnx';

async function cpuMsBetweenRuns(allowSpinning: boolean): Promise<number> {
  const graph = await OnnxGraph.load(CLASSIFIER, { intraOpThreads: 2, allowSpinning });
  const feeds = { pixels: { type: 'float32' as const, data: new Float32Array(4 * 28 * 28), dims: [4, 1, 28, 28] } };
  try {
    await graph.run(feeds);
    const before = process.cpuUsage();
    for (let i = 0; i < 30; i++) {
      await graph.run(feeds);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  } finally {
    await graph.dispose();
  }
}

describe('the spinning setting', () => {
  it('maps to the session config entries, with the measured default when not given', () => {
    expect(ortSessionOptions({ allowSpinning: true }).extra).toMatchObject({ 'session.intra_op.allow_spinning': '1' });
    expect(ortSessionOptions({ allowSpinning: false }).extra).toMatchObject({ 'session.intra_op.allow_spinning': '0' });
    expect(ortSessionOptions({}).extra).toMatchObject({ 'session.intra_op.allow_spinning': DEFAULT_ALLOW_SPINNING ? '1' : '0' });
    expect(ortSessionOptions({ intraOpThreads: 3 })).toMatchObject({ intraOpNumThreads: 3, executionProviders: ['cpu'] });
  });

  it('takes effect: spinning threads burn CPU time between runs, sleeping ones do not', async () => {
    const off = await cpuMsBetweenRuns(false);
    const on = await cpuMsBetweenRuns(true);
    // 30 pauses of 5 ms: spinning threads fill much of them; the work itself costs the same both ways.
    expect(on - off).toBeGreaterThan(40);
  });
});
