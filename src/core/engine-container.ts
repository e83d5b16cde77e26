import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { builtInLogitsProcessorsPlugin } from './built-in-logits-processors-plugin.ts';
import { DecodingEngine } from './decoding-engine.ts';
import { TEXT_DECODER, TRANSFORMER, UNIFIED_VOCABULARY } from './injection-tokens.ts';
import type { PluginModule } from './plugin-api.ts';
import { registerPluginModuleNow } from './plugin-registration.ts';
import { SchedulerRegistry } from './scheduler-registry.ts';
import { StepHookRegistry } from './step-hook-registry.ts';
import { LogitsProcessorRegistry } from './sampling/logits-processor-registry.ts';
import type { Transformer } from './transformer.ts';
import type { UnifiedVocabulary } from './unified-vocabulary.ts';

/** A container with its registries, as `createSchedulerContainer` hands them out. */
export interface RegistryContainer {
  readonly container: DependencyContainer;
  readonly schedulers: SchedulerRegistry;
  readonly hooks: StepHookRegistry;
  readonly processors: LogitsProcessorRegistry;
}

/**
 * A child container with the registries, the core's built-in logits processors, and each module
 * of `builtIns` registered as plugins are (source "built-in"). The core names no scheduler: the
 * entry points pass the built-in schedulers' module in. Each call is independent, so tests and
 * plugins never leak registrations into one another.
 */
export function createRegistryContainer(builtIns: readonly PluginModule[] = []): RegistryContainer {
  const container = rootContainer.createChildContainer();
  const schedulers = new SchedulerRegistry(container);
  const hooks = new StepHookRegistry(container);
  const processors = new LogitsProcessorRegistry(container);
  container.register(SchedulerRegistry, { useValue: schedulers });
  container.register(StepHookRegistry, { useValue: hooks });
  container.register(LogitsProcessorRegistry, { useValue: processors });
  for (const module of [builtInLogitsProcessorsPlugin, ...builtIns]) registerPluginModuleNow(module, container, 'built-in');
  return { container, schedulers, hooks, processors };
}

export interface EngineParts {
  readonly model: Transformer;
  readonly vocabulary: UnifiedVocabulary;
  readonly decodeText?: (ids: ArrayLike<number>) => string;
  /** Reuse a container (with plugins loaded); a fresh one otherwise. */
  readonly container?: DependencyContainer;
}

/** Wires model, vocabulary and text decoder into a child of `base` and resolves the DecodingEngine there. */
export function createEngineIn(base: DependencyContainer, parts: Omit<EngineParts, 'container'>): { engine: DecodingEngine; container: DependencyContainer; schedulers: SchedulerRegistry } {
  const container = base.createChildContainer();
  container.register(TRANSFORMER, { useValue: parts.model });
  container.register(UNIFIED_VOCABULARY, { useValue: parts.vocabulary });
  container.register(TEXT_DECODER, { useValue: parts.decodeText ?? ((ids: ArrayLike<number>) => Array.from(ids).join(' ')) });
  return { engine: container.resolve(DecodingEngine), container, schedulers: container.resolve(SchedulerRegistry) };
}
