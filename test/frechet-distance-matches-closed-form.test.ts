import { describe, expect, it } from 'vitest';
import { featureStatistics, frechetDistance } from '../src/evaluation/frechet-distance.ts';

describe('Fréchet distance', () => {
  it('is |Δμ|² + Σ(σ1 − σ2)² for diagonal covariances', async () => {
    const a = { dimension: 2, count: 10, mean: [0, 1], covariance: [4, 0, 0, 1] };
    const b = { dimension: 2, count: 10, mean: [3, 1], covariance: [1, 0, 0, 9] };
    // (0-3)² + (2-1)² + (1-3)² = 9 + 1 + 4
    expect(await frechetDistance(a, b)).toBeCloseTo(14, 4);
  });

  it('is zero between a distribution and itself and positive otherwise', async () => {
    const features = new Float64Array([1, 2, 3, 1, 2, 5, 0, 1, 4, 2, 2, 2]);
    const stats = featureStatistics(features, 3);
    expect(await frechetDistance(stats, stats)).toBeLessThan(1e-4);
    const shifted = featureStatistics(features.map((value) => value + 1), 3);
    expect(await frechetDistance(stats, shifted)).toBeCloseTo(3, 3);
  });

  it('computes unbiased covariance', async () => {
    const stats = featureStatistics(new Float64Array([1, 3]), 1);
    expect(stats.mean).toEqual([2]);
    expect(stats.covariance).toEqual([2]);
  });
});
