/**
 * Reveal orders from low-discrepancy sequences (Halton-MaskGIT, arXiv 2503.17076): consecutive
 * points spread evenly over the grid, so tokens revealed together are far apart and barely
 * correlated. Cells are computed with integer arithmetic: floor(k / b^m · size) must not suffer
 * from 1/3 being inexact in floating point.
 */

/** The cell (0 .. size − 1) that the radical inverse of `index` in `base` falls into. */
export function radicalInverseCell(index: number, base: number, size: number): number {
  let numerator = 0;
  let denominator = 1;
  for (let rest = index; rest > 0; rest = Math.floor(rest / base)) {
    numerator = numerator * base + (rest % base);
    denominator *= base;
  }
  return Math.floor((numerator * size) / denominator);
}

/**
 * Every position of a height × width raster exactly once, in the order the 2D Halton sequence
 * (base 2 for the row, base 3 for the column, as valeoai/Halton-MaskGIT indexes its mask) first
 * visits each cell. The sequence starts at index 1, as theirs does (index 0 is the corner).
 */
export function haltonGridOrder(height: number, width: number): Int32Array {
  return firstVisits(height * width, (index) => radicalInverseCell(index, 2, height) * width + radicalInverseCell(index, 3, width));
}

/** 1D van der Corput (base 2) order over `length` positions, for segments without a grid. */
export function vanDerCorputOrder(length: number): Int32Array {
  return firstVisits(length, (index) => radicalInverseCell(index, 2, length));
}

function firstVisits(count: number, cellAt: (index: number) => number): Int32Array {
  const order = new Int32Array(count);
  const seen = new Uint8Array(count);
  let filled = 0;
  // Any 2^a·3^b consecutive indices put one point in each 2^-a × 3^-b stratum; once strata are at
  // most half a cell wide every cell holds one, which happens before index 48·count. The raster
  // fallback below is only a safety net.
  const limit = 48 * count + 8;
  for (let index = 1; filled < count && index <= limit; index++) {
    const cell = cellAt(index);
    if (seen[cell] === 1) continue;
    seen[cell] = 1;
    order[filled++] = cell;
  }
  for (let cell = 0; filled < count && cell < count; cell++) {
    if (seen[cell] === 0) order[filled++] = cell;
  }
  return order;
}

/** torch.roll semantics: entry j of the result is entry (j − shift) mod n of `order`. */
export function rollOrder(order: Int32Array, shift: number): Int32Array {
  const n = order.length;
  const rolled = new Int32Array(n);
  for (let j = 0; j < n; j++) rolled[j] = order[(((j - shift) % n) + n) % n] as number;
  return rolled;
}
