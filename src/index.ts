// The public API. Plugins import only from here.
import 'reflect-metadata';

export { DecodingEngine } from './core/decoding-engine.ts';
export type { GenerateOptions } from './core/decoding-engine.ts';
export { createEngine, createSchedulerContainer } from './omnidecode-container.ts';
export type { EngineParts, RegistryContainer } from './omnidecode-container.ts';
export type { GenerationResult, GenerationStats, PhaseStats, RowResult, SegmentResult } from './core/generation-result.ts';
export type { GenerationRequest, GenerateSegment, ImageSegment, Modality, Segment, SegmentAttention, TokensSegment } from './core/request.ts';
export type { DecodeScheduler, FeedMode, SchedulerClass, SchedulerContext, SchedulerDefinition, SegmentCanvas, StepInfo, StepLogits } from './core/scheduler.ts';
export type { GuidanceSetting, StepDecision } from './core/scheduler.ts';
export { CommitList } from './core/commit-list.ts';
export type { StopSettings, UserStopCondition } from './core/stop-conditions.ts';
export { SchedulerRegistry, defineScheduler } from './core/scheduler-registry.ts';
export type { StepEvent } from './core/step-event.ts';
export type { StepHook } from './core/step-hook.ts';
export { StepHookRegistry } from './core/step-hook-registry.ts';
export type { EncodedSpan, EncoderInput, ForwardInput, ForwardOutput, KeyValueCache, LogitsSpan, Transformer, TransformerInfo } from './core/transformer.ts';
export type { NamedTensor, TensorData, TensorGraph } from './core/tensor-graph.ts';
export type {
  ExecutionProviderChoice, ExecutionProviderWithOptions, GraphLoadOptions, SessionOptions, TransformerBackend, TransformerLoadOptions,
} from './core/transformer-backend.ts';
export type { SessionSettings } from './core/config/session-settings.ts';
export {
  LOGITS_PROCESSOR_DEFINITION, SCHEDULER_DEFINITION, SCHEDULER_OPTIONS, STEP_HOOK, TEXT_DECODER, TRANSFORMER, TRANSFORMER_BACKEND, UNIFIED_VOCABULARY,
} from './core/injection-tokens.ts';
export { buildAttentionMask, mayAttend, writeAttentionMask } from './core/omni-attention-mask.ts';
export type { AttentionLayout } from './core/omni-attention-mask.ts';
export {
  AbortError, ConfigError, DuplicateRegistrationError, InputError, InvalidRequestError, ModelFileError,
  NonFiniteLogitsError, OmnidecodeError, PluginError, UnknownSchedulerError,
} from './core/errors.ts';
export { ExecutionProviderError, SchedulerDecisionError } from './core/errors.ts';
export {
  booleanParameter, customParameter, defineParameters, enumParameter, integerParameter, numberParameter,
  optionalNumberParameter, stringListParameter,
} from './core/config/parameter-schema.ts';
export type { ParameterDescription, ParameterSchema, ParameterShape, ParameterSpec, ParametersOf } from './core/config/parameter-schema.ts';
export { checkSchedulers, parseConfig } from './core/config/omnidecode-config.ts';
export { readConfigFile } from './node/config-file.ts';
export { TASK_TYPES, parseTask, taskModality } from './core/config/omnidecode-config.ts';
export type {
  ChatTask, DescribeTask, EditTask, InpaintTask, OmnidecodeConfig, OutpaintTask, OutpaintUnit, SchedulerChoice, TaskConfig, TaskType, TextToImageTask,
} from './core/config/omnidecode-config.ts';
export { SEED_LIMIT, parseSeed } from './core/config/parse-seed.ts';
export { loadPlugins, loadPluginsOrThrow, PluginLoadError } from './node/plugin-loader.ts';
export type { PluginLoadResult } from './node/plugin-loader.ts';
export type { PluginApi, PluginModule } from './core/plugin-api.ts';
export { registerPluginModule } from './core/plugin-registration.ts';
export type { PluginRegistrations } from './core/plugin-registration.ts';

// Sampling: processors, draws, the seeded RNG.
export { SeededRandom } from './core/sampling/seeded-random.ts';
export { Sampler, samplerParameters } from './core/sampling/sampler.ts';
export type { ProcessorSpec, SamplerInput, SamplerOptions } from './core/sampling/sampler.ts';
export type { SampledToken } from './core/sampling/sampler.ts';
export { LogitsProcessorRegistry } from './core/sampling/logits-processor-registry.ts';
export { applyClassifierFreeGuidance } from './core/sampling/classifier-free-guidance.ts';
export type { GuidanceForm } from './core/sampling/classifier-free-guidance.ts';
export { logSumExp } from './core/sampling/log-softmax.ts';
export { findNonFinite } from './core/sampling/finite-check.ts';
export type { LogitsProcessor, ProcessorContext } from './core/sampling/logits-processor.ts';
export type { LogitsProcessorDefinition } from './core/sampling/logits-processor-definition.ts';
export { LogitsProcessorChain } from './core/sampling/logits-processor-chain.ts';
export type { TokenDraw, TokenDrawName } from './core/sampling/draw.ts';

// Built-in schedulers and the pieces plugins reuse.
export { AutoregressiveScheduler, autoregressiveDefinition, autoregressiveParameters } from './schedulers/autoregressive-scheduler.ts';
export type { AutoregressiveOptions } from './schedulers/autoregressive-scheduler.ts';
export { MaskgitScheduler, maskgitDefinition, maskgitParameters } from './schedulers/maskgit-scheduler.ts';
export type { MaskgitOptions } from './schedulers/maskgit-scheduler.ts';
export { NAMED_SCHEDULES, resolveMaskSchedule } from './schedulers/mask-schedule.ts';
export type { MaskSchedule } from './schedulers/mask-schedule.ts';
export { guidanceParameters } from './schedulers/guidance-parameters.ts';
export { guidanceSetting } from './schedulers/guidance-parameters.ts';
export { ParallelDraws } from './schedulers/parallel-draws.ts';
export { scheduleParameter } from './schedulers/schedule-parameter.ts';
export { samplerParameter } from './schedulers/sampler-parameter.ts';
export { selectLowest } from './schedulers/select-lowest.ts';
export { MaskCountPlan } from './schedulers/mask-count-plan.ts';
export { BUILT_IN_SCHEDULERS } from './schedulers/built-in-schedulers.ts';

// Vocabulary and request builders.
export { UnifiedVocabulary } from './core/unified-vocabulary.ts';
export type { VocabularyLayout } from './core/vocabulary-layout.ts';
export { textToImagePrompt, textToImageRequest } from './pipeline/text-to-image-request.ts';
export { describeRequest } from './pipeline/describe-request.ts';
export { editRequest } from './pipeline/edit-request.ts';
export type { PromptLayout } from './pipeline/prompt-layout.ts';
export type { SegmentScheduler } from './pipeline/scheduler-choice.ts';
