import type { PluginApi } from 'omnidecode';
import { thresholdDefinition } from './threshold-scheduler.ts';

export { ThresholdScheduler, thresholdDefinition, thresholdParameters } from './threshold-scheduler.ts';
export type { ThresholdOptions } from './threshold-scheduler.ts';

export function register(api: PluginApi): void {
  api.registerScheduler(thresholdDefinition);
}
