import type { DependencyContainer } from 'tsyringe';
import type { SchedulerDefinition } from './scheduler.ts';
import type { LogitsProcessorDefinition } from './sampling/logits-processor-definition.ts';
import type { StepHook } from './step-hook.ts';

/** What a plugin's `register(api)` receives. Plugins need nothing else from the engine. */
export interface PluginApi {
  registerScheduler(definition: SchedulerDefinition): void;
  registerLogitsProcessor(definition: LogitsProcessorDefinition): void;
  registerStepHook(hook: StepHook): void;
  /** The container, for plugins that want to resolve or register their own services. */
  readonly container: DependencyContainer;
}

/**
 * A plugin module exports `register(api)` (named or default), or plain lists `schedulers`,
 * `logitsProcessors` and `stepHooks`.
 */
export interface PluginModule {
  register?: (api: PluginApi) => void | Promise<void>;
  default?: unknown;
  schedulers?: readonly SchedulerDefinition[];
  logitsProcessors?: readonly LogitsProcessorDefinition[];
  stepHooks?: readonly StepHook[];
}
