import type { InjectionToken } from 'tsyringe';
import type { SchedulerDefinition } from './scheduler.ts';
import type { LogitsProcessorDefinition } from './sampling/logits-processor-definition.ts';
import type { StepHook } from './step-hook.ts';
import type { Transformer } from './transformer.ts';
import type { TransformerBackend } from './transformer-backend.ts';
import type { UnifiedVocabulary } from './unified-vocabulary.ts';

/**
 * Every extension point's DI token, declared in one place. A plugin registers against these; the
 * registries resolve them all.
 */
export const SCHEDULER_DEFINITION: InjectionToken<SchedulerDefinition> = Symbol('omnidecode.SchedulerDefinition');
/** Options object handed to a scheduler class's constructor (validated by its definition). */
export const SCHEDULER_OPTIONS: InjectionToken<unknown> = Symbol('omnidecode.SchedulerOptions');
export const LOGITS_PROCESSOR_DEFINITION: InjectionToken<LogitsProcessorDefinition> = Symbol('omnidecode.LogitsProcessorDefinition');
export const STEP_HOOK: InjectionToken<StepHook> = Symbol('omnidecode.StepHook');
/** The model the engine decodes with. */
export const TRANSFORMER: InjectionToken<Transformer> = Symbol('omnidecode.Transformer');
export const UNIFIED_VOCABULARY: InjectionToken<UnifiedVocabulary> = Symbol('omnidecode.UnifiedVocabulary');
/** Optional ids -> text function for stop strings. */
export const TEXT_DECODER: InjectionToken<(ids: ArrayLike<number>) => string> = Symbol('omnidecode.TextDecoder');
/** Loads the transformer and plain graphs (onnxruntime-node, registered by the Node layer). */
export const TRANSFORMER_BACKEND: InjectionToken<TransformerBackend> = Symbol('omnidecode.TransformerBackend');
