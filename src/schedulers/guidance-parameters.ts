import type { GuidanceSetting } from '../core/scheduler.ts';
import type { GuidanceForm } from '../core/sampling/classifier-free-guidance.ts';
import { enumParameter, numberParameter } from '../core/config/parameter-schema.ts';

/**
 * Largest guidance scale accepted. Useful values are about 0.5–10 (Show-o uses 1.75–5); far larger
 * ones only amplify cond − uncond until the guided logits overflow, so a huge w is refused up front,
 * named as `guidance`, instead of surfacing later as an infinite logit.
 */
export const MAX_GUIDANCE = 100;

/** Classifier-free guidance options shared by the built-in schedulers. */
export const guidanceParameters = {
  guidance: numberParameter({
    default: 0, min: 0, max: MAX_GUIDANCE,
    description: `Classifier-free guidance scale w in [0, ${MAX_GUIDANCE}]; 0 runs no unconditional rows.`,
  }),
  guidanceForm: enumParameter({
    values: ['show-o', 'standard'] as const, default: 'show-o',
    description: "show-o: (1+w)·cond − w·uncond; standard: uncond + w·(cond − uncond).",
  }),
};

/** The engine's guidance setting from parsed `guidance` / `guidanceForm` options: null when w = 0. */
export function guidanceSetting(options: { readonly guidance: number; readonly guidanceForm: GuidanceForm }): GuidanceSetting | null {
  return options.guidance > 0 ? { scale: options.guidance, form: options.guidanceForm } : null;
}
