import type { PluginApi } from './plugin-api.ts';
import { builtInLogitsProcessors } from './sampling/built-in-logits-processors.ts';

/**
 * The core's logits processors as a plugin module: every container registers them through the
 * same code path as a loaded plugin (`registerPluginModuleNow`).
 */
export const builtInLogitsProcessorsPlugin = {
  register(api: PluginApi): void {
    for (const definition of builtInLogitsProcessors) api.registerLogitsProcessor(definition);
  },
};
