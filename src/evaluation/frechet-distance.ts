import type { Matrix } from 'mathjs';
import type { FeatureStatistics } from './evaluation-classifier.ts';

/** Mean and covariance (unbiased) of row-major features [count, dimension]. */
export function featureStatistics(features: Float64Array, dimension: number): FeatureStatistics {
  const count = features.length / dimension;
  const mean = new Array<number>(dimension).fill(0);
  for (let i = 0; i < count; i++) for (let d = 0; d < dimension; d++) mean[d] = (mean[d] as number) + (features[i * dimension + d] as number) / count;
  const covariance = new Array<number>(dimension * dimension).fill(0);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < dimension; a++) {
      const da = (features[i * dimension + a] as number) - (mean[a] as number);
      for (let b = a; b < dimension; b++) {
        covariance[a * dimension + b] = (covariance[a * dimension + b] as number) + da * ((features[i * dimension + b] as number) - (mean[b] as number));
      }
    }
  }
  const divisor = Math.max(1, count - 1);
  for (let a = 0; a < dimension; a++) {
    for (let b = a; b < dimension; b++) {
      const value = (covariance[a * dimension + b] as number) / divisor;
      covariance[a * dimension + b] = value;
      covariance[b * dimension + a] = value;
    }
  }
  return { dimension, count, mean, covariance };
}

function rows(values: readonly number[], dimension: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < dimension; r++) out.push(values.slice(r * dimension, (r + 1) * dimension) as number[]);
  return out;
}

/**
 * Fréchet distance between two Gaussians: |μ1 − μ2|² + tr(Σ1 + Σ2 − 2·sqrt(Σ1·Σ2)), the FID formula,
 * with the matrix square root from mathjs (imported here, on first use: nothing else needs it). A tiny ridge keeps sqrtm stable for rank-deficient
 * covariances (few samples), as the reference FID code does.
 */
export async function frechetDistance(a: FeatureStatistics, b: FeatureStatistics, ridge = 1e-6): Promise<number> {
  const { matrix, multiply, sqrtm, trace } = await import('mathjs');
  const toMatrix = (values: readonly number[], dimension: number): Matrix => matrix(rows(values, dimension));
  const dimension = a.dimension;
  let meanTerm = 0;
  for (let d = 0; d < dimension; d++) meanTerm += ((a.mean[d] as number) - (b.mean[d] as number)) ** 2;
  const withRidge = (values: readonly number[]): number[] => values.map((value, index) => (index % (dimension + 1) === 0 ? value + ridge : value));
  const sigmaA = toMatrix(withRidge(a.covariance), dimension);
  const sigmaB = toMatrix(withRidge(b.covariance), dimension);
  const root = sqrtm(multiply(sigmaA, sigmaB) as Matrix) as Matrix;
  // sqrtm of a product of SPD matrices can pick up tiny imaginary parts; keep the real part.
  const rootTrace = Number((trace(root) as unknown as { re?: number }).re ?? trace(root));
  const traceA = Number(trace(sigmaA));
  const traceB = Number(trace(sigmaB));
  return Math.max(0, meanTerm + traceA + traceB - 2 * rootTrace);
}
