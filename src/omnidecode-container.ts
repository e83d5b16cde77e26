import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import type { DecodingEngine } from './core/decoding-engine.ts';
import { createEngineIn, createRegistryContainer, type EngineParts, type RegistryContainer } from './core/engine-container.ts';
import type { SchedulerRegistry } from './core/scheduler-registry.ts';
import * as builtInSchedulersPlugin from './schedulers/built-in-plugin.ts';

export type { EngineParts, RegistryContainer } from './core/engine-container.ts';

/**
 * A child container with the built-in schedulers and logits processors registered, as plugins are.
 * Each call is independent, so tests and plugins never leak registrations into one another.
 */
export function createSchedulerContainer(): RegistryContainer {
  return createRegistryContainer([builtInSchedulersPlugin]);
}

/** Wires model, vocabulary and registries into a DecodingEngine through the container (a fresh one with the built-ins by default). */
export function createEngine(parts: EngineParts): { engine: DecodingEngine; container: DependencyContainer; schedulers: SchedulerRegistry } {
  return createEngineIn(parts.container ?? createSchedulerContainer().container, parts);
}
