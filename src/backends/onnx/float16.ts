/**
 * IEEE 754 half precision <-> float32 without Float16Array (Node 20 has none): onnxruntime-node
 * takes and gives 'float16' tensors as Uint16Array bit patterns. Both directions write into a
 * caller's array, so a decode loop converts without allocating.
 */

// One 4-byte scratch shared by the scalar helpers; the array converters use views of their own.
const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** float32 bits of a half's bits; exact (every half is a float32). */
export function halfBitsToFloatBits(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exponent = (half >>> 10) & 0x1f;
  let mantissa = half & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal: shift the mantissa up to its leading 1, lowering the exponent as it goes.
  let shift = 0;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    shift += 1;
  }
  return (sign | ((113 - shift) << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}

/** Half bits of float32 bits, rounded to nearest, ties to even; overflow gives infinity, NaN stays NaN. */
export function floatBitsToHalfBits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200 | (mantissa >>> 13));
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Below 2^-25 everything rounds to zero (exactly 2^-25 ties to the even zero).
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa raises the exponent, up to infinity: still the correct rounding.
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1;
  return sign | half;
}

/** The number a half's bits stand for. */
export function halfToNumber(half: number): number {
  scratchBits[0] = halfBitsToFloatBits(half);
  return scratch[0] as number;
}

/** Half bits of a number (first rounded to float32, as a Float32Array would store it). */
export function numberToHalf(value: number): number {
  scratch[0] = value;
  return floatBitsToHalfBits(scratchBits[0] as number);
}

/** Writes `source` (half bits) into `target` as float32; target must be at least as long. */
export function float16ToFloat32(source: Uint16Array, target: Float32Array): Float32Array {
  const bits = new Uint32Array(target.buffer, target.byteOffset, target.length);
  for (let i = 0; i < source.length; i++) bits[i] = halfBitsToFloatBits(source[i] as number);
  return target;
}

/** Writes `source` into `target` as half bits (round to nearest even); target must be at least as long. */
export function float32ToFloat16(source: Float32Array, target: Uint16Array): Uint16Array {
  const bits = new Uint32Array(source.buffer, source.byteOffset, source.length);
  for (let i = 0; i < source.length; i++) target[i] = floatBitsToHalfBits(bits[i] as number);
  return target;
}
