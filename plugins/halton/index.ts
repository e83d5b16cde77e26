import type { PluginApi } from 'omnidecode';
import { haltonDefinition } from './halton-scheduler.ts';

export { HaltonScheduler, haltonDefinition, haltonParameters } from './halton-scheduler.ts';
export type { HaltonOptions } from './halton-scheduler.ts';

export function register(api: PluginApi): void {
  api.registerScheduler(haltonDefinition);
}
