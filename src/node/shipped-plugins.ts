import { SHIPPED_PLUGINS_DIR } from './package-paths.ts';
import { join } from 'node:path';

/**
 * The plugins that ship in plugins/, loadable by bare name (`--plugin halton`), and the schedulers
 * each provides — so an unknown scheduler can say which plugin to load without importing them all.
 * test/shipped-plugins-load-by-name.test.ts loads every one and checks this table against them.
 */
export const SHIPPED_PLUGINS: Readonly<Record<string, readonly string[]>> = {
  halton: ['halton'],
  threshold: ['threshold'],
  'confidence-selection': ['margin', 'entropy'],
  'text-diffusion': ['text-diffusion'],
  'example-every-other': ['every-other'],
};

export function isShippedPlugin(name: string): boolean {
  return Object.hasOwn(SHIPPED_PLUGINS, name);
}

export function shippedPluginFolder(name: string): string {
  return join(SHIPPED_PLUGINS_DIR, name);
}

/** Scheduler name -> the shipped plugin that provides it. */
export function shippedSchedulerProviders(): Map<string, string> {
  const providers = new Map<string, string>();
  for (const [plugin, schedulers] of Object.entries(SHIPPED_PLUGINS)) {
    for (const scheduler of schedulers) providers.set(scheduler, plugin);
  }
  return providers;
}
