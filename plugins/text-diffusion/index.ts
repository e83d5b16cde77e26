import type { PluginApi } from 'omnidecode';
import { textDiffusionDefinition } from './text-diffusion-scheduler.ts';

export { BlockPlan } from './block-plan.ts';
export { TextDiffusionScheduler, textDiffusionDefinition, textDiffusionParameters } from './text-diffusion-scheduler.ts';
export type { TextDiffusionOptions } from './text-diffusion-scheduler.ts';

export function register(api: PluginApi): void {
  api.registerScheduler(textDiffusionDefinition);
}
