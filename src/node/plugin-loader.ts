import type { DependencyContainer } from 'tsyringe';
import { PluginError } from '../core/errors.ts';
import type { PluginModule } from '../core/plugin-api.ts';
import { registerPluginModule } from '../core/plugin-registration.ts';
import { resolvePluginSpecifier } from './plugin-specifier.ts';

export type PluginLoadResult =
  | { readonly ok: true; readonly plugin: string; readonly schedulers: readonly string[]; readonly logitsProcessors: readonly string[]; readonly stepHooks: readonly string[] }
  | { readonly ok: false; readonly plugin: string; readonly error: PluginError };

/** Every plugin that failed, in one message. */
export class PluginLoadError extends PluginError {
  readonly failures: readonly PluginError[];
  constructor(failures: readonly PluginError[]) {
    super(failures.map((failure) => failure.plugin).join(', '), failures.map((failure) => failure.message).join('\n'));
    this.message = `${failures.length} plugin(s) failed to load:\n${failures.map((failure) => `  - ${failure.message}`).join('\n')}`;
    this.failures = failures;
  }
}

/**
 * Imports each plugin (a path, a shipped plugin's name or a package) and registers what it provides
 * through the core's `registerPluginModule`, the path the built-ins take too. A plugin is
 * all-or-nothing: if it throws or clashes, none of its registrations land and the built-ins stay
 * usable. Returns one result per plugin; `loadPluginsOrThrow` turns failures into one PluginLoadError.
 */
export async function loadPlugins(specs: readonly string[], container: DependencyContainer, baseDir = process.cwd()): Promise<PluginLoadResult[]> {
  const results: PluginLoadResult[] = [];
  for (const spec of specs) {
    let label = spec;
    try {
      const resolved = resolvePluginSpecifier(spec, baseDir);
      label = resolved.label;
      let module: PluginModule;
      try {
        module = await import(resolved.specifier) as PluginModule;
      } catch (error) {
        throw new PluginError(label, `failed to import: ${(error as Error).message}`, { cause: error });
      }
      results.push({ ok: true, plugin: label, ...await registerPluginModule(module, container, label) });
    } catch (error) {
      const failure = error instanceof PluginError ? error : new PluginError(label, (error as Error).message, { cause: error });
      results.push({ ok: false, plugin: label, error: failure });
    }
  }
  return results;
}

export async function loadPluginsOrThrow(specs: readonly string[], container: DependencyContainer, baseDir?: string): Promise<PluginLoadResult[]> {
  const results = await loadPlugins(specs, container, baseDir);
  const failures = results.flatMap((result) => (result.ok ? [] : [result.error]));
  if (failures.length > 0) throw new PluginLoadError(failures);
  return results;
}
