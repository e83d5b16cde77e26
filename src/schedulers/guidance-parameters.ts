import { enumParameter, numberParameter } from '../core/config/parameter-schema.ts';

/** Classifier-free guidance options shared by the built-in schedulers. */
export const guidanceParameters = {
  guidance: numberParameter({
    default: 0, min: 0,
    description: 'Classifier-free guidance scale w; 0 runs no unconditional rows.',
  }),
  guidanceForm: enumParameter({
    values: ['show-o', 'standard'] as const, default: 'show-o',
    description: "show-o: (1+w)·cond − w·uncond; standard: uncond + w·(cond − uncond).",
  }),
};
