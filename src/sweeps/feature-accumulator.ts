import type { FeatureStatistics } from '../evaluation/evaluation-classifier.ts';

/**
 * Mean and unbiased covariance of feature vectors added one at a time (Welford's update), so a
 * setting's FID needs dimension² numbers however many images it has, never every vector at once.
 * Gives what featureStatistics gives for the same vectors (to rounding).
 */
export class FeatureAccumulator {
  private count = 0;
  private readonly mean: Float64Array;
  /** Upper triangle of the co-moment matrix Σ (x − mean)(x − mean)ᵀ. */
  private readonly comoment: Float64Array;
  private readonly delta: Float64Array;

  constructor(readonly dimension: number) {
    this.mean = new Float64Array(dimension);
    this.comoment = new Float64Array(dimension * dimension);
    this.delta = new Float64Array(dimension);
  }

  get size(): number { return this.count; }

  add(features: readonly number[]): void {
    const d = this.dimension;
    if (features.length !== d) throw new RangeError(`a feature vector of ${features.length} values, expected ${d}`);
    this.count += 1;
    for (let a = 0; a < d; a++) {
      const delta = (features[a] as number) - (this.mean[a] as number);
      this.delta[a] = delta;
      this.mean[a] = (this.mean[a] as number) + delta / this.count;
    }
    for (let a = 0; a < d; a++) {
      const da = this.delta[a] as number;
      for (let b = a; b < d; b++) {
        this.comoment[a * d + b] = (this.comoment[a * d + b] as number) + da * ((features[b] as number) - (this.mean[b] as number));
      }
    }
  }

  statistics(): FeatureStatistics {
    const d = this.dimension;
    const divisor = Math.max(1, this.count - 1);
    const covariance = new Array<number>(d * d).fill(0);
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const value = (this.comoment[a * d + b] as number) / divisor;
        covariance[a * d + b] = value;
        covariance[b * d + a] = value;
      }
    }
    return { dimension: d, count: this.count, mean: Array.from(this.mean), covariance };
  }
}
