import type { PluginApi } from '../core/plugin-api.ts';
import { BUILT_IN_SCHEDULERS } from './built-in-schedulers.ts';

/**
 * The built-in schedulers as a plugin module: `register(api)`, the shape every plugin exports.
 * `createSchedulerContainer` hands this module to the core, which registers it as it registers a
 * loaded plugin; the core itself names no scheduler.
 */
export function register(api: PluginApi): void {
  for (const definition of BUILT_IN_SCHEDULERS) api.registerScheduler(definition);
}
