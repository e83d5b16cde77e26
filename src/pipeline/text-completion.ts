import type { DependencyContainer } from 'tsyringe';
import type { SessionSettings } from '../core/config/session-settings.ts';
import { parseSeed } from '../core/config/parse-seed.ts';
import type { DecodingEngine } from '../core/decoding-engine.ts';
import { InputError } from '../core/errors.ts';
import type { GenerationRequest } from '../core/request.ts';
import type { StopSettings } from '../core/stop-conditions.ts';
import type { Transformer } from '../core/transformer.ts';
import { createNodeSchedulerContainer } from '../node/node-scheduler-container.ts';
import { transformerBackendIn } from '../node/node-transformer-backend.ts';
import { createEngine } from '../omnidecode-container.ts';
import { TextTokenizer, type UnknownWords } from '../tokenizers/text-tokenizer.ts';
import { checkPrompt } from './input-checks.ts';
import { openTextModelFolder, type TextModelFolder } from './text-model-folder.ts';
import { textOnlyVocabulary } from './text-only-vocabulary.ts';

export interface TextCompletionOptions extends SessionSettings {
  /** A text-only model folder (text-model-folder.ts). */
  readonly model: string;
  readonly container?: DependencyContainer;
  readonly unknownWords?: UnknownWords;
}

export interface CompleteOptions {
  /** Most new tokens; default 32, at most what the model's positions leave after the prompt. */
  readonly maxTokens?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface Completion {
  readonly promptIds: readonly number[];
  /** New ids, the stop token included when the row stopped on one. */
  readonly ids: readonly number[];
  /** The new text (stop token and specials left out). */
  readonly text: string;
  readonly stop: 'eos' | 'max tokens';
  readonly modelMs: number;
  readonly wallMs: number;
}

export const DEFAULT_COMPLETION_TOKENS = 32;

/**
 * `omnidecode complete`: AR text on a text-only model (a standard decoder export with its
 * tokenizer), greedy, through the same engine and backend as the unified models. The prompt is
 * the model's BOS (when its config names one) and the tokenizer's ids of the text.
 */
export class TextCompletion {
  private constructor(
    readonly folder: TextModelFolder,
    readonly tokenizer: TextTokenizer,
    private readonly engine: DecodingEngine,
    private readonly model: Transformer,
  ) {}

  static async load(options: TextCompletionOptions): Promise<TextCompletion> {
    const folder = await openTextModelFolder(options.model);
    const container = options.container ?? createNodeSchedulerContainer().container;
    const tokenizer = await TextTokenizer.load(folder.tokenizerFile, { unknownWords: options.unknownWords ?? 'reject' });
    const model = await transformerBackendIn(container).loadTransformer(folder.transformerFile, {
      layers: folder.numLayers, vocabSize: folder.vocabSize, maxPositions: folder.maxPositions,
      numHeads: folder.numHeads, headDim: folder.headDim,
      ...(options.executionProviders === undefined ? {} : { executionProviders: options.executionProviders }),
      ...(options.intraOpThreads === undefined ? {} : { intraOpThreads: options.intraOpThreads }),
      ...(options.allowSpinning === undefined ? {} : { allowSpinning: options.allowSpinning }),
    });
    const eos = folder.eosTokenIds[0] ?? 0;
    const vocabulary = textOnlyVocabulary(folder.vocabSize, folder.bosTokenId ?? eos, eos);
    const { engine } = createEngine({
      model, vocabulary, container, decodeText: (ids) => tokenizer.decode(Array.from(ids).filter((id) => id < folder.vocabSize)),
    });
    return new TextCompletion(folder, tokenizer, engine, model);
  }

  async complete(prompt: string, options: CompleteOptions = {}): Promise<Completion> {
    const { folder } = this;
    const promptIds = [...(folder.bosTokenId === undefined ? [] : [folder.bosTokenId]), ...this.tokenizer.encode(checkPrompt(prompt, 'prompt'))];
    if (promptIds.length === 0) throw new InputError('prompt', prompt, 'some text (the model has no BOS token to start from)');
    const room = folder.maxPositions - promptIds.length;
    const maxTokens = options.maxTokens ?? Math.min(DEFAULT_COMPLETION_TOKENS, room);
    if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > room) {
      throw new InputError('maxTokens', maxTokens, `an integer from 1 to ${room} (${folder.maxPositions} positions - ${promptIds.length} prompt tokens)`);
    }
    const [eos, ...otherStops] = folder.eosTokenIds;
    const stop: StopSettings = {
      eos: eos !== undefined,
      ...(otherStops.length > 0 ? { when: (tokens: Int32Array, length: number) => otherStops.includes(tokens[length - 1] as number) } : {}),
    };
    const request: GenerationRequest = {
      segments: [
        { type: 'tokens', ids: promptIds },
        { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: maxTokens, stop, options: { sampler: { draw: 'greedy' } } },
      ],
    };
    const result = await this.engine.generate(request, {
      seed: parseSeed(options.seed ?? 0, 'seed'), ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const segment = result.rows[0]?.segments[1];
    const steps = result.stats.phases[0]?.steps ?? 0;
    const end = segment?.end ?? 0;
    const ids = Array.from(segment?.tokens.subarray(0, steps) ?? []);
    return {
      promptIds, ids, text: this.tokenizer.decode(ids.slice(0, end).filter((id) => !otherStops.includes(id))),
      stop: end < steps || (otherStops.length > 0 && otherStops.includes(ids[ids.length - 1] ?? -1)) ? 'eos' : 'max tokens',
      modelMs: result.stats.modelMs, wallMs: result.stats.wallMs,
    };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
