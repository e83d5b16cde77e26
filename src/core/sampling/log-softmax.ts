/**
 * log Σ exp(x_i) over a slice, computed as max + log Σ exp(x_i − max) so large logits do not
 * overflow. log p(i) is then data[offset + i] − logSumExp(...), with nothing allocated.
 * All -Infinity gives -Infinity; NaN propagates.
 */
export function logSumExp(data: Float32Array, offset: number, count: number): number {
  let max = -Infinity;
  let sawNaN = false;
  for (let i = 0; i < count; i++) {
    const value = data[offset + i] as number;
    if (value > max) max = value;
    else if (value !== value) sawNaN = true;
  }
  if (sawNaN) return NaN;
  if (!Number.isFinite(max)) return max;
  let total = 0;
  for (let i = 0; i < count; i++) total += Math.exp((data[offset + i] as number) - max);
  return max + Math.log(total);
}
