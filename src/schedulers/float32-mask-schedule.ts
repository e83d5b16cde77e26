import { powerExponent, resolveMaskSchedule, type MaskSchedule } from './mask-schedule.ts';

/**
 * Mask schedules as Show-o's code computes them: in float32. Show-o evaluates the schedule on
 * torch.tensor(ratio), a float32 tensor, so every operation rounds to float32; cosine at t = 2/3
 * gives 0.49999997 there, where double arithmetic gives 0.5000000000000001, and 256 tokens keep
 * floor(256 · 0.49999997) = 127 masked rather than 128. A count differing by one commits a
 * different position, so the counts are computed here exactly as the reference computes them.
 *
 * Each named schedule below rounds with Math.fround after every tensor operation of Show-o's
 * models/sampling.py. cos, acos, exp and pow are rounded from the double result, i.e. correctly
 * rounded float32 functions; glibc's cosf (what torch calls for one element on the CPU) is within
 * 0.56 ulp and differs by one ulp at a few ratios, none of which changes a count for T <= 64 and
 * 256, 576, 1024 or 4096 tokens. Show-o's floor of 1e-6 on linear, powK and sigmoid is left
 * out: it changes floor(N · x) only for N of a million or more. Expressions are evaluated in
 * double (they follow mathjs's semantics, which are double's) and rounded to float32 once, at
 * the end.
 */
const f = Math.fround;
const PI = f(Math.PI);
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** torch.sigmoid on a float32 value: 1 / (1 + exp(-x)), each step in float32. */
const sigmoid = (x: number): number => f(1 / f(1 + f(Math.exp(-x))));
const SIGMOID_LOW = sigmoid(-3);
const SIGMOID_HIGH = sigmoid(3);

/** t is already float32 (torch.tensor(ratio)). */
const FLOAT32_NAMED: Readonly<Record<string, MaskSchedule>> = {
  // torch.cos(t * math.pi * 0.5): (t·π) then ·0.5, both products float32.
  cosine: (t) => f(Math.cos(f(f(t * PI) * 0.5))),
  linear: (t) => f(1 - t),
  // (v_end - sigmoid((t·(end - start) + start) / tau)) / (v_end - v_start), start -3, end 3, tau 1.
  sigmoid: (t) => clamp01(f(f(SIGMOID_HIGH - sigmoid(f(f(t * 6) - 3))) / f(SIGMOID_HIGH - SIGMOID_LOW))),
  // Halton-MaskGIT's torch.arccos(t) / (math.pi * 0.5).
  arccos: (t) => f(f(Math.acos(clamp01(t))) / f(Math.PI * 0.5)),
};

/** 1 - t ** K as torch's CPU pow computes it: K = 2 and 3 by multiplication, 0.5 by sqrt, else powf. */
function float32Power(exponent: number): MaskSchedule {
  const power = exponent === 2 ? (t: number) => f(t * t)
    : exponent === 3 ? (t: number) => f(f(t * t) * t)
      : exponent === 0.5 ? (t: number) => f(Math.sqrt(t))
        : (t: number) => f(t ** f(exponent));
  return (t) => f(1 - power(t));
}

/**
 * The schedule as a float32 function of the progress ratio (a double, (step + 1) / steps, which
 * is rounded to float32 first as torch.tensor(ratio) does). Validates `spec` exactly as
 * resolveMaskSchedule does, which it calls first.
 */
export function resolveFloat32MaskSchedule(spec: string, field = 'schedule', steps?: number): MaskSchedule {
  const inDouble = resolveMaskSchedule(spec, field, steps);
  const named = Object.hasOwn(FLOAT32_NAMED, spec) ? FLOAT32_NAMED[spec] : undefined;
  const exponent = powerExponent(spec);
  const inFloat32 = named ?? (exponent !== undefined ? float32Power(exponent) : undefined);
  if (inFloat32 !== undefined) return (ratio) => inFloat32(f(ratio));
  return (ratio) => f(inDouble(ratio));
}

/**
 * Show-o's mask_len before clamping: floor(N · mask_ratio), where N · mask_ratio is a float32
 * tensor times a Python int, so the product is rounded to float32 before the floor.
 */
export function float32MaskedCount(base: number, maskRatio: number): number {
  return Math.floor(f(base * maskRatio));
}
