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
 * The uncond slice is left as it was. Finite inputs that combine to a non-finite value (the
 * difference times w overflows float32) throw a ConfigError naming `guidance` and w, since the
 * model's logits were fine and only the guidance made them infinite.
 */
export function applyClassifierFreeGuidance(
  data: Float32Array,
  condOffset: number,
  uncondOffset: number,
  count: number,
  scale: number,
  form: GuidanceForm,
): void {
  if (!Number.isFinite(scale)) throw new ConfigError('guidance', scale, 'a finite number');
  // Both forms are cond + g·(cond − uncond) with a different g.
  const gain = form === 'show-o' ? scale : scale - 1;
  for (let i = 0; i < count; i++) {
    const cond = data[condOffset + i] as number;
    const uncond = data[uncondOffset + i] as number;
    // Equal values (notably -Infinity masked in both) stay as they are instead of becoming NaN.
    if (cond === uncond) continue;
    const guided = cond + gain * (cond - uncond);
    data[condOffset + i] = guided;
    const stored = data[condOffset + i] as number;
    // x - x is 0 only for finite x: cheap checks, and only a non-finite result looks at the inputs.
    if (stored - stored !== 0 && cond - cond === 0 && uncond - uncond === 0) throw overflowError(stored, cond, uncond, scale, form, i);
  }
}

function overflowError(value: number, cond: number, uncond: number, scale: number, form: GuidanceForm, column: number): ConfigError {
  return new ConfigError('guidance', scale, 'a guidance scale w that keeps the guided logits finite',
    `non-finite logit ${value} after classifier-free guidance was applied (guidance w = ${scale}, ${form} form) at column ${column}: `
    + `cond ${cond} and uncond ${uncond} are finite, but their guided combination overflows; lower the guidance scale`);
}
