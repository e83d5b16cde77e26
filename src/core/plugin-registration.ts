import type { DependencyContainer } from 'tsyringe';
import { PluginError } from './errors.ts';
import { STEP_HOOK } from './injection-tokens.ts';
import type { PluginApi, PluginModule } from './plugin-api.ts';
import type { SchedulerDefinition } from './scheduler.ts';
import { SchedulerRegistry } from './scheduler-registry.ts';
import { LogitsProcessorRegistry } from './sampling/logits-processor-registry.ts';
import type { LogitsProcessorDefinition } from './sampling/logits-processor-definition.ts';
import type { StepHook } from './step-hook.ts';

/**
 * How a plugin module object lands in a container: collect what its `register(api)` (or its plain
 * lists) provides, check it all, then register it all. The one path for the built-ins (at container
 * creation) and for plugins the Node layer imports from paths or packages; the core never imports
 * a module itself.
 */

/** What one module registered, by name. */
export interface PluginRegistrations {
  readonly schedulers: readonly string[];
  readonly logitsProcessors: readonly string[];
  readonly stepHooks: readonly string[];
}

interface Collected {
  readonly schedulers: SchedulerDefinition[];
  readonly logitsProcessors: LogitsProcessorDefinition[];
  readonly stepHooks: StepHook[];
}

type RegisterFunction = (api: PluginApi) => void | Promise<void>;

function registerFunctionOf(module: PluginModule): RegisterFunction | undefined {
  if (typeof module.register === 'function') return module.register;
  if (typeof module.default === 'function') return module.default as RegisterFunction;
  return (module.default as PluginModule | undefined)?.register;
}

/** Calls the module's register(api) into `collected`; a Promise when it is async. */
function callRegister(module: PluginModule, container: DependencyContainer, collected: Collected, label: string): void | Promise<void> {
  const api: PluginApi = {
    registerScheduler: (definition) => { collected.schedulers.push(definition); },
    registerLogitsProcessor: (definition) => { collected.logitsProcessors.push(definition); },
    registerStepHook: (hook) => { collected.stepHooks.push(hook); },
    container,
  };
  const register = registerFunctionOf(module);
  const threw = (error: unknown): PluginError => new PluginError(label, `register() threw: ${(error as Error).message}`, { cause: error });
  let result: void | Promise<void>;
  try {
    result = register?.(api);
  } catch (error) {
    throw threw(error);
  }
  const thenable = result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function';
  return thenable ? Promise.resolve(result).catch((error: unknown) => { throw threw(error); }) : undefined;
}

/** Adds the module's plain `schedulers` / `logitsProcessors` / `stepHooks` lists. */
function collectLists(module: PluginModule, collected: Collected): void {
  const lists = (module.default !== null && typeof module.default === 'object' ? module.default : module) as PluginModule;
  collected.schedulers.push(...(lists.schedulers ?? module.schedulers ?? []));
  collected.logitsProcessors.push(...(lists.logitsProcessors ?? module.logitsProcessors ?? []));
  collected.stepHooks.push(...(lists.stepHooks ?? module.stepHooks ?? []));
}

function checkDefinitions(label: string, collected: Collected, registry: SchedulerRegistry, processors: LogitsProcessorRegistry): void {
  if (collected.schedulers.length + collected.logitsProcessors.length + collected.stepHooks.length === 0) {
    throw new PluginError(label, 'exports nothing registrable (expected register(api), or schedulers / logitsProcessors / stepHooks lists)');
  }
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

/** Checks everything first, so a module is all-or-nothing: a clash leaves the container as it was. */
function registerCollected(label: string, collected: Collected, container: DependencyContainer): PluginRegistrations {
  const registry = container.resolve(SchedulerRegistry);
  const processors = container.resolve(LogitsProcessorRegistry);
  checkDefinitions(label, collected, registry, processors);
  // Copies: a module's definitions are shared by every container it is registered in, and each
  // registration records its own source.
  for (const definition of collected.schedulers) registry.register({ ...definition }, label);
  for (const definition of collected.logitsProcessors) processors.register({ ...definition }, label);
  for (const hook of collected.stepHooks) container.register(STEP_HOOK, { useValue: hook });
  return {
    schedulers: collected.schedulers.map((definition) => definition.name),
    logitsProcessors: collected.logitsProcessors.map((definition) => definition.name),
    stepHooks: collected.stepHooks.map((hook) => hook.name),
  };
}

function emptyCollection(): Collected {
  return { schedulers: [], logitsProcessors: [], stepHooks: [] };
}

/**
 * Registers what a plugin module provides into `container` (which must hold the scheduler and
 * logits-processor registries). Errors are PluginErrors naming `label` (the plugin's path or name).
 */
export async function registerPluginModule(module: PluginModule, container: DependencyContainer, label: string): Promise<PluginRegistrations> {
  const collected = emptyCollection();
  await callRegister(module, container, collected, label);
  collectLists(module, collected);
  return registerCollected(label, collected, container);
}

/**
 * The same for a module whose register(api) is synchronous (the built-ins, registered while a
 * container is created); an async register() is refused.
 */
export function registerPluginModuleNow(module: PluginModule, container: DependencyContainer, label: string): PluginRegistrations {
  const collected = emptyCollection();
  const pending = callRegister(module, container, collected, label);
  if (pending !== undefined) {
    pending.catch(() => undefined);
    throw new PluginError(label, 'register() returned a Promise; a module registered at container creation must register synchronously');
  }
  collectLists(module, collected);
  return registerCollected(label, collected, container);
}
