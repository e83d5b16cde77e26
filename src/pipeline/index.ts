// The model-facing API: the embedded model's tasks and the ONNX backend. Kept apart from the
// engine's entry point so plugins importing 'omnidecode' never load onnxruntime.
export { OmnidecodePipeline } from './omnidecode-pipeline.ts';
export type { ImageRun, PipelineOptions, RunOptions, TextRun } from './omnidecode-pipeline.ts';
export { DEFAULT_MODEL_DIR, openModelFolder } from './model-folder.ts';
export type { ModelFolder } from './model-folder.ts';
export { OnnxGraph, OnnxTransformer } from '../core/onnx-backend.ts';
export type { OnnxGraphOptions, OnnxTransformerOptions, SessionOptions } from '../core/onnx-backend.ts';
export { TextTokenizer } from '../tokenizers/text-tokenizer.ts';
export { ImageTokenizer, maskToGrid } from '../tokenizers/image-tokenizer.ts';
export { encodePng, imageGrid, readPng, resizeGray, upscaleNearest, writeFileAtomic } from '../tokenizers/png-image.ts';
export type { GrayImage, RgbImage } from '../tokenizers/png-image.ts';
export { parseModelConfig, toVocabularyLayout } from '../tokenizers/model-config.ts';
export type { ModelConfig } from '../tokenizers/model-config.ts';
export { EvaluationClassifier } from '../evaluation/evaluation-classifier.ts';
export { featureStatistics, frechetDistance } from '../evaluation/frechet-distance.ts';
