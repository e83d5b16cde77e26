import type { DependencyContainer } from 'tsyringe';
import { PluginError } from '../core/errors.ts';
import { STEP_HOOK } from '../core/injection-tokens.ts';
import type { PluginApi, PluginModule } from '../core/plugin-api.ts';
import type { SchedulerDefinition } from '../core/scheduler.ts';
import { SchedulerRegistry } from '../core/scheduler-registry.ts';
import { LogitsProcessorRegistry } from '../core/sampling/logits-processor-registry.ts';
import type { LogitsProcessorDefinition } from '../core/sampling/logits-processor-definition.ts';
import type { StepHook } from '../core/step-hook.ts';
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

interface Collected {
  schedulers: SchedulerDefinition[];
  logitsProcessors: LogitsProcessorDefinition[];
  stepHooks: StepHook[];
}

async function collect(module: PluginModule, container: DependencyContainer): Promise<Collected> {
  const collected: Collected = { schedulers: [], logitsProcessors: [], stepHooks: [] };
  const api: PluginApi = {
    registerScheduler: (definition) => { collected.schedulers.push(definition); },
    registerLogitsProcessor: (definition) => { collected.logitsProcessors.push(definition); },
    registerStepHook: (hook) => { collected.stepHooks.push(hook); },
    container,
  };
  const register = typeof module.register === 'function' ? module.register
    : typeof module.default === 'function' ? module.default as (api: PluginApi) => void | Promise<void>
      : (module.default as PluginModule | undefined)?.register;
  if (register !== undefined) await register(api);
  const lists = (module.default !== null && typeof module.default === 'object' ? module.default : module) as PluginModule;
  collected.schedulers.push(...(lists.schedulers ?? module.schedulers ?? []));
  collected.logitsProcessors.push(...(lists.logitsProcessors ?? module.logitsProcessors ?? []));
  collected.stepHooks.push(...(lists.stepHooks ?? module.stepHooks ?? []));
  return collected;
}

function checkDefinitions(label: string, collected: Collected, registry: SchedulerRegistry, processors: LogitsProcessorRegistry): void {
  const taken = new Set(registry.names());
  const names = new Set<string>();
  for (const definition of collected.schedulers) {
    const problems: string[] = [];
    if (typeof definition?.name !== 'string' || definition.name === '') problems.push('a scheduler without a name');
    else {
      if (taken.has(definition.name)) problems.push(`scheduler name "${definition.name}" is already registered (by ${registry.get(definition.name).source ?? 'built-in'})`);
      if (names.has(definition.name)) problems.push(`scheduler name "${definition.name}" is registered twice by this plugin`);
      names.add(definition.name);
    }
    if (typeof definition?.scheduler !== 'function') problems.push(`scheduler "${String(definition?.name)}" has no class in \`scheduler\``);
    if (typeof definition?.parameters?.parse !== 'function') problems.push(`scheduler "${String(definition?.name)}" has no parameter schema (use defineParameters)`);
    if (!Array.isArray(definition?.modalities) || definition.modalities.length === 0) problems.push(`scheduler "${String(definition?.name)}" lists no modalities`);
    if (problems.length > 0) throw new PluginError(label, problems.join('; '));
  }
  const takenProcessors = new Set(processors.names());
  for (const definition of collected.logitsProcessors) {
    if (typeof definition?.name !== 'string' || typeof definition.create !== 'function' || typeof definition.parameters?.parse !== 'function') {
      throw new PluginError(label, 'a logits processor needs a name, a parameter schema and a create(options) function');
    }
    if (takenProcessors.has(definition.name)) throw new PluginError(label, `logits processor name "${definition.name}" is already registered`);
    takenProcessors.add(definition.name);
  }
  for (const hook of collected.stepHooks) {
    if (typeof hook?.onStep !== 'function') throw new PluginError(label, 'a step hook needs an onStep(event) function');
  }
}

/**
 * Imports each plugin and registers what it provides. A plugin is all-or-nothing: if it throws
 * or clashes, none of its registrations land and the built-ins stay usable. Returns one result per
 * plugin; `loadPluginsOrThrow` turns failures into one PluginLoadError.
 */
export async function loadPlugins(specs: readonly string[], container: DependencyContainer, baseDir = process.cwd()): Promise<PluginLoadResult[]> {
  const registry = container.resolve(SchedulerRegistry);
  const processors = container.resolve(LogitsProcessorRegistry);
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
      let collected: Collected;
      try {
        collected = await collect(module, container);
      } catch (error) {
        throw new PluginError(label, `register() threw: ${(error as Error).message}`, { cause: error });
      }
      if (collected.schedulers.length + collected.logitsProcessors.length + collected.stepHooks.length === 0) {
        throw new PluginError(label, 'exports nothing registrable (expected register(api), or schedulers / logitsProcessors / stepHooks lists)');
      }
      checkDefinitions(label, collected, registry, processors);
      for (const definition of collected.schedulers) registry.register(definition, label);
      for (const definition of collected.logitsProcessors) processors.register(definition, label);
      for (const hook of collected.stepHooks) container.register(STEP_HOOK, { useValue: hook });
      results.push({
        ok: true, plugin: label, schedulers: collected.schedulers.map((d) => d.name),
        logitsProcessors: collected.logitsProcessors.map((d) => d.name), stepHooks: collected.stepHooks.map((h) => h.name),
      });
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
