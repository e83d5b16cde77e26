import { ConfigError } from '../errors.ts';
import type { LogitsProcessor, ProcessorContext } from './logits-processor.ts';

/**
 * Keeps the k largest logits and blocks the rest. The k-th largest value is found by quickselect
 * on a scratch copy (O(n) expected, unlike a full sort); values tied with it are all kept so the
 * result does not depend on element order.
 */
export class TopKProcessor implements LogitsProcessor {
  readonly name = 'top-k';
  readonly k: number;
  private scratch = new Float32Array(0);

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new ConfigError('top-k.k', k, 'an integer >= 1');
    this.k = k;
  }

  process(logits: Float32Array, offset: number, count: number, _context: ProcessorContext): void {
    if (this.k >= count) return;
    if (this.scratch.length < count) this.scratch = new Float32Array(count);
    const scratch = this.scratch;
    for (let i = 0; i < count; i++) {
      const value = logits[offset + i] as number;
      // NaN would break the partition's comparisons; rank it below everything.
      scratch[i] = value === value ? value : -Infinity;
    }
    const threshold = selectKthSmallest(scratch, count, count - this.k);
    const end = offset + count;
    for (let i = offset; i < end; i++) {
      if (!((logits[i] as number) >= threshold)) logits[i] = -Infinity;
    }
  }
}

/**
 * Hoare/Wirth selection: partially reorders a[0 .. n) and returns the value that would sit at
 * index k (0-based) if it were sorted ascending. Median-of-three pivots avoid the quadratic case on
 * sorted input; Hoare partitioning stays linear on many equal values.
 */
function selectKthSmallest(a: Float32Array, n: number, k: number): number {
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const x = medianOfThree(a[low] as number, a[(low + high) >>> 1] as number, a[high] as number);
    let i = low;
    let j = high;
    do {
      while ((a[i] as number) < x) i++;
      while (x < (a[j] as number)) j--;
      if (i <= j) {
        const swap = a[i] as number;
        a[i] = a[j] as number;
        a[j] = swap;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) low = i;
    if (k < i) high = j;
  }
  return a[k] as number;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : (a < c ? c : a);
  return a < c ? a : (b < c ? c : b);
}
