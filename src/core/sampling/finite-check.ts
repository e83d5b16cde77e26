/**
 * Returns the column (within the slice) of the first NaN, +Infinity or -Infinity, or -1 when all
 * values are finite. Meant for raw model logits: after masking processors -Infinity is legitimate,
 * so do not run this on processed logits.
 */
export function findNonFinite(data: Float32Array, offset: number, count: number): number {
  for (let i = 0; i < count; i++) {
    const value = data[offset + i] as number;
    // A finite value minus itself is 0; NaN and ±Infinity give NaN.
    if (value - value !== 0) return i;
  }
  return -1;
}
