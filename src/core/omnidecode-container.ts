import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { DecodingEngine } from './decoding-engine.ts';
import { TEXT_DECODER, TRANSFORMER, UNIFIED_VOCABULARY } from './injection-tokens.ts';
import { SchedulerRegistry } from './scheduler-registry.ts';
import { StepHookRegistry } from './step-hook-registry.ts';
import { LogitsProcessorRegistry } from './sampling/logits-processor-registry.ts';
import { builtInLogitsProcessors } from './sampling/built-in-logits-processors.ts';
import type { Transformer } from './transformer.ts';
import { BUILT_IN_SCHEDULERS } from '../schedulers/built-in-schedulers.ts';
import type { UnifiedVocabulary } from '../tokenizers/unified-vocabulary.ts';

/**
 * A child container with the built-in schedulers registered. Each call is independent, so tests
 * and plugins never leak registrations into one another.
 */
export function createSchedulerContainer(): { container: DependencyContainer; schedulers: SchedulerRegistry; hooks: StepHookRegistry; processors: LogitsProcessorRegistry } {
  const container = rootContainer.createChildContainer();
  const schedulers = new SchedulerRegistry(container);
  const hooks = new StepHookRegistry(container);
  container.register(SchedulerRegistry, { useValue: schedulers });
  container.register(StepHookRegistry, { useValue: hooks });
  const processors = new LogitsProcessorRegistry(container);
  container.register(LogitsProcessorRegistry, { useValue: processors });
  for (const definition of builtInLogitsProcessors) processors.register({ ...definition }, 'built-in');
  for (const definition of BUILT_IN_SCHEDULERS) schedulers.register({ ...definition }, 'built-in');
  return { container, schedulers, hooks, processors };
}

export interface EngineParts {
  readonly model: Transformer;
  readonly vocabulary: UnifiedVocabulary;
  readonly decodeText?: (ids: ArrayLike<number>) => string;
  /** Reuse a container (with plugins loaded); a fresh one otherwise. */
  readonly container?: DependencyContainer;
}

/** Wires model, vocabulary and registries into a DecodingEngine through the container. */
export function createEngine(parts: EngineParts): { engine: DecodingEngine; container: DependencyContainer; schedulers: SchedulerRegistry } {
  const base = parts.container ?? createSchedulerContainer().container;
  const container = base.createChildContainer();
  container.register(TRANSFORMER, { useValue: parts.model });
  container.register(UNIFIED_VOCABULARY, { useValue: parts.vocabulary });
  container.register(TEXT_DECODER, { useValue: parts.decodeText ?? ((ids: ArrayLike<number>) => Array.from(ids).join(' ')) });
  return { engine: container.resolve(DecodingEngine), container, schedulers: container.resolve(SchedulerRegistry) };
}
