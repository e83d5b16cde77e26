// The model-facing API: the embedded model's tasks and the ONNX backend. Kept apart from the
// engine's entry point so plugins importing 'omnidecode' never load onnxruntime.
export { OmnidecodePipeline } from './omnidecode-pipeline.ts';
export type {
  DescribeOptions, ImageRun, InpaintRun, OutpaintOptions, OutpaintRun, PipelineOptions, RunOptions, SampleOptions, TextRun,
} from './omnidecode-pipeline.ts';
export { MAX_CHAT_TURNS } from './chat-options.ts';
export type { ChatOptions } from './chat-options.ts';
export type { ChatLimit, ChatPart, ChatRun, ChatTurn } from './chat-result.ts';
export { runPipelineTask } from './pipeline-task.ts';
export type { TaskResult } from './pipeline-task.ts';
export { runConfig } from '../node/run-config.ts';
export type { RunConfigOptions } from '../node/run-config.ts';
export { bandPixelsToTokens, outpaintCanvas, resolveOutpaintBand } from './outpaint-band.ts';
export type { OutpaintBand, OutpaintSide, OutpaintUnit, TokenBand } from './outpaint-band.ts';
export { INPUT_LIMITS } from './input-checks.ts';
export { DEFAULT_MODEL_DIR, openModelFolder } from './model-folder.ts';
export { SHIPPED_PLUGINS } from '../node/shipped-plugins.ts';
export type { ModelFolder } from './model-folder.ts';
export { OnnxGraph } from '../backends/onnx/onnx-graph.ts';
export type { OnnxGraphOptions } from '../backends/onnx/onnx-graph.ts';
export { OnnxTransformer } from '../backends/onnx/onnx-transformer.ts';
export type { OnnxTransformerOptions } from '../backends/onnx/onnx-transformer.ts';
export { OnnxNodeBackend } from '../backends/onnx/onnx-node-backend.ts';
export { JanusTransformer } from '../backends/onnx/janus/janus-transformer.ts';
export type { JanusTransformerOptions } from '../backends/onnx/janus/janus-transformer.ts';
export { JanusIdSpace } from '../backends/onnx/janus/janus-id-space.ts';
export type { JanusIdSpaceOptions } from '../backends/onnx/janus/janus-id-space.ts';
export { JanusImageDecoder } from '../backends/onnx/janus/janus-image-decoder.ts';
export { DEFAULT_JANUS_SESSION_TABLE, JANUS_ROLE_IO, JANUS_ROLES, checkJanusSessionTable } from '../backends/onnx/janus/janus-session-table.ts';
export type { JanusGraphDeclaration, JanusHeads, JanusRole, JanusSessionTable } from '../backends/onnx/janus/janus-session-table.ts';
export { janusSessionTableFrom, readJanusSessionTable } from '../backends/onnx/janus/janus-session-table-config.ts';
export { DEFAULT_JANUS_TEXT_TOKENS, JanusPipeline, JanusPrompts, MAX_JANUS_IMAGES } from './janus/janus-pipeline.ts';
export type {
  JanusAnswerPlan, JanusImageOptions, JanusImagePlan, JanusImageRun, JanusPipelineOptions, JanusRunOptions, JanusTextOptions, JanusTextRun,
} from './janus/janus-pipeline.ts';
export { isJanusFolder, openJanusModelFolder } from './janus/janus-model-folder.ts';
export type { JanusImageTags, JanusModelFolder, JanusPreprocessing } from './janus/janus-model-folder.ts';
export { janusPixelValues } from './janus/janus-image-input.ts';
export type { Rgb8Image } from '../backends/onnx/janus/janus-image-decoder.ts';
export { availableExecutionProviders, DEFAULT_EXECUTION_PROVIDERS } from '../backends/onnx/execution-providers.ts';
export type { AvailableProvider } from '../backends/onnx/execution-providers.ts';
export { DEFAULT_ALLOW_SPINNING } from '../backends/onnx/onnx-session.ts';
export { TextCompletion, DEFAULT_COMPLETION_TOKENS } from './text-completion.ts';
export type { CompleteOptions, Completion, TextCompletionOptions } from './text-completion.ts';
export { openTextModelFolder } from './text-model-folder.ts';
export type { TextModelFolder } from './text-model-folder.ts';
export { textOnlyLayout, textOnlyVocabulary } from './text-only-vocabulary.ts';
export type {
  ExecutionProviderChoice, ExecutionProviderWithOptions, GraphLoadOptions, SessionOptions, TransformerBackend, TransformerLoadOptions,
} from '../core/transformer-backend.ts';
export { TextTokenizer } from '../tokenizers/text-tokenizer.ts';
export { ImageTokenizer, maskToGrid } from '../tokenizers/image-tokenizer.ts';
export {
  DEFAULT_MAX_PNG_FILE_BYTES, DEFAULT_MAX_PNG_PIXELS, channelsOf, decodePng, encodePng, imageGrid, readPng, removeLiveTemporaries, resizeGray, toChannels,
  upscaleNearest, writeFileAtomic,
} from '../tokenizers/png-image.ts';
export type { DecodePngOptions, PngReadOptions } from '../tokenizers/png-image.ts';
export type { GrayImage, ImageChannels, RgbImage } from '../tokenizers/png-image.ts';
export { parseModelConfig, toVocabularyLayout } from '../tokenizers/model-config.ts';
export type { ModelConfig, PromptTemplates } from '../tokenizers/model-config.ts';
export { EvaluationClassifier } from '../evaluation/evaluation-classifier.ts';
export { featureStatistics, frechetDistance } from '../evaluation/frechet-distance.ts';
