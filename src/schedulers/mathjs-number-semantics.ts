/**
 * mathjs's number semantics where they differ from Math, so an expression means here what it
 * means in mathjs's documentation: comparisons and floor/ceil/mod forgive float round-off within
 * a relative 1e-12 (floor(10 * (1 - 0.8)) is 2, not 1), and round works on the shortest decimal
 * form, halves away from zero (round(0.575, 2) is 0.58, round(-2.5) is -3).
 */
const REL_TOL = 1e-12;
const ABS_TOL = 1e-15;
/** mathjs first snaps to this many decimals (the exponent of REL_TOL) before rounding. */
const SNAP_DIGITS = 12;

export function nearlyEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return a === b;
  return Math.abs(a - b) <= Math.max(REL_TOL * Math.max(Math.abs(a), Math.abs(b)), ABS_TOL);
}

/** Rounds the shortest decimal form of x to `digits` decimals, halves away from zero. */
function roundDecimal(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  // Shift by the decimal exponent as text, so 0.575 is 57.5 and not 57.49999999999999.
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const shifted = Number(`${mantissa}e${Number(exponent) + digits}`);
  const rounded = Number(`${Math.round(shifted)}e-${digits}`);
  return x < 0 ? -rounded : rounded;
}

export function mathjsRound(x: number, digits = 0): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) return Number.NaN;
  if (digits >= SNAP_DIGITS) return roundDecimal(x, digits);
  const snapped = roundDecimal(x, SNAP_DIGITS);
  return roundDecimal(nearlyEqual(x, snapped) ? snapped : x, digits);
}

/** Math.floor, unless x is round-off away from the integer above. */
export function mathjsFloor(x: number): number {
  const floor = Math.floor(x);
  const round = mathjsRound(x);
  return floor !== round && nearlyEqual(x, round) && !nearlyEqual(x, floor) ? round : floor;
}

/** Math.ceil, unless x is round-off away from the integer below. */
export function mathjsCeil(x: number): number {
  const ceil = Math.ceil(x);
  const round = mathjsRound(x);
  return ceil !== round && nearlyEqual(x, round) && !nearlyEqual(x, ceil) ? round : ceil;
}

/** Floored modulo (mod(-1, 3) = 2), mod(x, 0) = x. */
export function mathjsMod(x: number, y: number): number {
  return y === 0 ? x : x - y * mathjsFloor(x / y);
}
