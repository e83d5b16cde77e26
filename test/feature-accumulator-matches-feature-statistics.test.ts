import { describe, expect, it } from 'vitest';
import { featureStatistics } from '../src/evaluation/frechet-distance.ts';
import { FeatureAccumulator } from '../src/sweeps/feature-accumulator.ts';

/**
 * A sweep pools each setting's classifier features one job at a time (Welford's update); the mean
 * and covariance it ends with are featureStatistics' over the same vectors, even with a large
 * common offset that would wreck a naive sum-of-squares.
 */
describe('FeatureAccumulator', () => {
  it('gives featureStatistics\' mean and covariance, one vector at a time', () => {
    let state = 3;
    // A small LCG: fixed numbers in [0, 1) without a dependency.
    const random = (): number => { state = (state * 1103515245 + 12345) % 2 ** 31; return state / 2 ** 31; };
    const dimension = 5;
    const count = 40;
    const features = new Float64Array(count * dimension);
    for (let i = 0; i < features.length; i++) features[i] = 1e6 + random() * 3 + (i % dimension);
    const accumulator = new FeatureAccumulator(dimension);
    for (let i = 0; i < count; i++) accumulator.add(Array.from(features.subarray(i * dimension, (i + 1) * dimension)));
    const expected = featureStatistics(features, dimension);
    const got = accumulator.statistics();
    expect(got.count).toBe(count);
    got.mean.forEach((value, i) => expect(value).toBeCloseTo(expected.mean[i] as number, 6));
    got.covariance.forEach((value, i) => expect(value).toBeCloseTo(expected.covariance[i] as number, 6));
  });

  it('refuses a vector of another length', () => {
    expect(() => new FeatureAccumulator(3).add([1, 2])).toThrow(/2 values, expected 3/);
  });
});
