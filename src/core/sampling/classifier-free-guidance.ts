import { ConfigError } from '../errors.ts';

/**
 * How the guidance scale w is read:
 * - 'show-o': (1 + w)·cond − w·uncond (Show-o / MaskGIT convention; w = 0 is unguided),
 * - 'standard': uncond + w·(cond − uncond) (w = 1 is unguided).
 * show-o with w equals standard with w + 1.
 */
export type GuidanceForm = 'show-o' | 'standard';

/**
 * Combines conditional and unconditional logits of the same width into the cond slice, in place.
 * The uncond slice is left as it was.
 */
export function applyClassifierFreeGuidance(
  data: Float32Array,
  condOffset: number,
  uncondOffset: number,
  count: number,
  scale: number,
  form: GuidanceForm,
): void {
  if (!Number.isFinite(scale)) throw new ConfigError('guidance.scale', scale, 'a finite number');
  // Both forms are cond + g·(cond − uncond) with a different g.
  const gain = form === 'show-o' ? scale : scale - 1;
  for (let i = 0; i < count; i++) {
    const cond = data[condOffset + i] as number;
    const uncond = data[uncondOffset + i] as number;
    // Equal values (notably -Infinity masked in both) stay as they are instead of becoming NaN.
    data[condOffset + i] = cond === uncond ? cond : cond + gain * (cond - uncond);
  }
}
