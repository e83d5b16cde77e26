import { inject, injectable, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { ConfigError, DuplicateRegistrationError, UnknownSchedulerError } from './errors.ts';
import { SCHEDULER_DEFINITION, SCHEDULER_OPTIONS } from './injection-tokens.ts';
import type { Modality } from './request.ts';
import type { DecodeScheduler, SchedulerDefinition } from './scheduler.ts';

/**
 * Marks a scheduler class for the container: its first constructor argument is the parsed options.
 * Always, not only when `Function.length` says it takes one: `constructor(options = {})` and
 * `constructor(...args)` have length 0 in plain JavaScript and would otherwise get nothing.
 */
export function defineScheduler<D extends SchedulerDefinition>(definition: D): D {
  const target = definition.scheduler as unknown as new (...args: unknown[]) => DecodeScheduler;
  inject(SCHEDULER_OPTIONS)(target, undefined, 0);
  injectable()(target);
  return definition;
}

/** A plugin's schema or constructor rejected a value: say which plugin, so the user knows where to look. */
function namingThePlugin<T>(definition: SchedulerDefinition, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ConfigError && definition.source !== undefined && definition.source !== 'built-in') {
      throw new ConfigError(error.what, error.got, error.expected,
        `${error.message} (scheduler "${definition.name}" from plugin ${definition.source})`);
    }
    throw error;
  }
}

/** Names -> scheduler definitions, held in the tsyringe container under SCHEDULER_DEFINITION. */
export class SchedulerRegistry {
  private readonly container: DependencyContainer;
  /** Scheduler name -> the plugin that would provide it, for the unknown-scheduler message. */
  private readonly providers = new Map<string, string>();

  constructor(container: DependencyContainer) {
    this.container = container;
  }

  register(definition: SchedulerDefinition, source = 'built-in'): void {
    const existing = this.find(definition.name);
    if (existing !== undefined) {
      throw new DuplicateRegistrationError('scheduler name', definition.name, 'a name not yet registered',
        `scheduler "${definition.name}" is already registered (by ${existing.source ?? 'built-in'})`);
    }
    definition.source ??= source;
    this.container.register(SCHEDULER_DEFINITION, { useValue: defineScheduler(definition) });
  }

  /** Every definition, checked for duplicate names (a plugin may have registered straight into the container). */
  list(): SchedulerDefinition[] {
    if (!this.container.isRegistered(SCHEDULER_DEFINITION, true)) return [];
    const all = this.container.resolveAll(SCHEDULER_DEFINITION);
    const seen = new Map<string, SchedulerDefinition>();
    for (const definition of all) {
      const earlier = seen.get(definition.name);
      if (earlier !== undefined) {
        throw new DuplicateRegistrationError('scheduler name', definition.name, 'unique names',
          `scheduler "${definition.name}" is registered twice (${earlier.source ?? 'built-in'} and ${definition.source ?? 'unknown source'})`);
      }
      seen.set(definition.name, definition);
    }
    return [...seen.values()];
  }

  /** Tells the registry which unloaded plugin provides a name (e.g. the shipped ones), for hints. */
  addProviderHints(providers: ReadonlyMap<string, string>): void {
    for (const [name, plugin] of providers) this.providers.set(name, plugin);
  }

  names(): string[] {
    return this.list().map((definition) => definition.name);
  }

  private find(name: string): SchedulerDefinition | undefined {
    return this.list().find((definition) => definition.name === name);
  }

  get(name: string): SchedulerDefinition {
    const definition = this.find(name);
    if (definition === undefined) throw new UnknownSchedulerError(name, this.names(), this.providers.get(name));
    return definition;
  }

  /** Validates options (errors name `owner.field`) without building anything. */
  parseOptions(name: string, rawOptions: unknown, owner: string, modality?: Modality): Record<string, unknown> {
    const definition = this.get(name);
    if (modality !== undefined && !definition.modalities.includes(modality)) {
      throw new ConfigError(owner, name, `a scheduler for ${modality} (${this.list().filter((d) => d.modalities.includes(modality)).map((d) => d.name).join(', ')})`,
        `scheduler "${name}" cannot decode ${modality} segments; schedulers for ${modality}: ${this.list().filter((d) => d.modalities.includes(modality)).map((d) => d.name).join(', ')}`);
    }
    return namingThePlugin(definition, () => definition.parameters.parse(rawOptions, owner) as Record<string, unknown>);
  }

  /** A fresh scheduler instance, built by the container with its options injected. */
  create(name: string, rawOptions: unknown, owner: string, modality?: Modality): DecodeScheduler {
    const options = this.parseOptions(name, rawOptions, owner, modality);
    const definition = this.get(name);
    const child = this.container.createChildContainer();
    child.register(SCHEDULER_OPTIONS, { useValue: options });
    return namingThePlugin(definition, () => child.resolve(definition.scheduler as unknown as InjectionToken<DecodeScheduler>));
  }
}
