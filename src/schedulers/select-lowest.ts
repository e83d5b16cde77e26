/**
 * Reorders `order[0..count)` so its first `k` entries are the indices with the lowest `score`
 * (ties broken by the smaller index, so results never depend on sort stability). Quickselect:
 * linear on average, in place, no allocation.
 */
export function selectLowest(order: Int32Array, count: number, score: Float64Array, k: number): void {
  if (k <= 0 || k >= count) return;
  let left = 0;
  let right = count - 1;
  const before = (a: number, b: number): boolean => {
    const sa = score[a] as number;
    const sb = score[b] as number;
    return sa < sb || (sa === sb && a < b);
  };
  while (left < right) {
    const pivot = order[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while (before(order[i] as number, pivot)) i++;
      while (before(pivot, order[j] as number)) j--;
      if (i <= j) {
        const swap = order[i] as number;
        order[i] = order[j] as number;
        order[j] = swap;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) right = j;
    else if (k - 1 >= i) left = i;
    else return;
  }
}
