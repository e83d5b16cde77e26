import type { DependencyContainer } from 'tsyringe';
import { ConfigError, InputError } from '../core/errors.ts';
import type { GenerateOptions } from '../core/decoding-engine.ts';
import type { UnknownWords } from '../tokenizers/text-tokenizer.ts';
import { parseExecutionProviders } from '../core/config/session-settings.ts';
import type { ExecutionProviderChoice } from '../core/transformer-backend.ts';
import { INPUT_LIMITS, checkInteger, checkPrompt } from './input-checks.ts';
import type { OutpaintUnit } from './outpaint-band.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

export interface PipelineOptions {
  /** Model folder; the embedded default model when omitted. */
  readonly model?: string;
  /** A container with plugins already loaded; a fresh one otherwise. */
  readonly container?: DependencyContainer;
  /** ONNX Runtime intra-op threads, an integer from 1 to MAX_THREADS. */
  readonly threads?: number;
  /** Execution providers in order of preference (default: the model folder's, else cpu). */
  readonly executionProviders?: readonly ExecutionProviderChoice[];
  /** Whether intra-op threads spin between runs (default: the model folder's, else the backend's measured default). */
  readonly allowSpinning?: boolean;
  readonly unknownWords?: UnknownWords;
  readonly onWarning?: (message: string) => void;
}

export interface RunOptions extends GenerateOptions {
  /** Overrides the model's default scheduler for the generated segment. */
  readonly scheduler?: Partial<SegmentScheduler>;
  /** Requests decoded together per forward batch. */
  readonly batchSize?: number;
  /** Called after each batch with (done, total) rows. */
  readonly onBatch?: (done: number, total: number) => void;
}

/** inpaint/outpaint: how many samples to draw from the one source image. */
export interface SampleOptions extends RunOptions {
  readonly count?: number;
}

export interface DescribeOptions extends RunOptions {
  /** The question; the model's trained question (config prompts.mmuQuestion) when omitted. */
  readonly question?: string;
  /** Longest answer, in tokens; config defaults.text.maxTokens when omitted. */
  readonly maxTokens?: number;
}

export interface OutpaintOptions extends SampleOptions {
  /** What the band's amounts count: tokens (default), or pixels of the model's image, rounded up to tokens. */
  readonly unit?: OutpaintUnit;
}

/** More threads than any machine this runs on has cores: a typo, not a setting. */
export const MAX_THREADS = 1024;

/** Load options are settings, so a bad one is a ConfigError naming the option (never a model-file error). */
export function checkPipelineOptions(options: unknown): PipelineOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('pipeline options', options, 'an object');
  const { model, container, threads, unknownWords, onWarning, executionProviders, allowSpinning } = options as Partial<Record<keyof PipelineOptions, unknown>>;
  if (executionProviders !== undefined) parseExecutionProviders(executionProviders, 'executionProviders');
  if (allowSpinning !== undefined && typeof allowSpinning !== 'boolean') throw new ConfigError('allowSpinning', allowSpinning, 'true or false');
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '')) {
    throw new ConfigError('model', model, 'a model folder path (a non-empty string)');
  }
  if (threads !== undefined && (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)) {
    throw new ConfigError('threads', threads, `an integer from 1 to ${MAX_THREADS} (ONNX Runtime intra-op threads)`);
  }
  if (unknownWords !== undefined && unknownWords !== 'reject' && unknownWords !== 'unk') {
    throw new ConfigError('unknownWords', unknownWords, '"reject" or "unk"');
  }
  if (onWarning !== undefined && typeof onWarning !== 'function') throw new ConfigError('onWarning', onWarning, 'a function');
  if (container !== undefined && (typeof container !== 'object' || container === null || typeof (container as { resolve?: unknown }).resolve !== 'function')) {
    throw new ConfigError('container', container, 'a tsyringe DependencyContainer');
  }
  return options as PipelineOptions;
}

/** The options every task takes (the seed is checked with parseSeed where the batches run). Returns them typed. */
export function checkRunOptions<T extends RunOptions>(options: unknown): T {
  if (typeof options !== 'object' || options === null) throw new InputError('options', options, 'an object');
  const { scheduler, batchSize, onBatch, onStep, signal } = options as Partial<Record<keyof RunOptions, unknown>>;
  if (batchSize !== undefined) checkInteger(batchSize, 'batchSize', 1, INPUT_LIMITS.batchSize);
  for (const [name, value] of [['onBatch', onBatch], ['onStep', onStep]] as const) {
    if (value !== undefined && typeof value !== 'function') throw new InputError(name, value, 'a function');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InputError('signal', signal, 'an AbortSignal');
  if (scheduler !== undefined) {
    if (typeof scheduler !== 'object' || scheduler === null) throw new InputError('scheduler', scheduler, 'an object { name?, options? }');
    const { name, options: schedulerOptions } = scheduler as Partial<Record<keyof SegmentScheduler, unknown>>;
    if (name !== undefined && (typeof name !== 'string' || name === '')) throw new InputError('scheduler.name', name, 'a scheduler name (a non-empty string)');
    if (schedulerOptions !== undefined && (typeof schedulerOptions !== 'object' || schedulerOptions === null || Array.isArray(schedulerOptions))) {
      throw new InputError('scheduler.options', schedulerOptions, 'an object of scheduler parameters');
    }
  }
  const { count, question, maxTokens } = options as Partial<Record<keyof SampleOptions | keyof DescribeOptions, unknown>>;
  if (count !== undefined) checkInteger(count, 'count', 1, INPUT_LIMITS.count);
  if (question !== undefined) checkPrompt(question, 'question');
  // The upper bound is the model's positions, checked where the question's length is known.
  if (maxTokens !== undefined) checkInteger(maxTokens, 'maxTokens', 1, Number.MAX_SAFE_INTEGER);
  return options as T;
}
