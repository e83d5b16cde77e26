import type { DependencyContainer } from 'tsyringe';
import { JanusIdSpace } from '../../backends/onnx/janus/janus-id-space.ts';
import { JanusImageDecoder, type Rgb8Image } from '../../backends/onnx/janus/janus-image-decoder.ts';
import { JanusTransformer } from '../../backends/onnx/janus/janus-transformer.ts';
import { parseSeed } from '../../core/config/parse-seed.ts';
import type { SessionSettings } from '../../core/config/session-settings.ts';
import type { DecodingEngine } from '../../core/decoding-engine.ts';
import { InputError } from '../../core/errors.ts';
import type { GenerateSegment, GenerationRequest, Modality, Segment } from '../../core/request.ts';
import type { SessionOptions } from '../../core/transformer-backend.ts';
import { createEngine } from '../../omnidecode-container.ts';
import type { GrayImage } from '../../tokenizers/png-image.ts';
import type { UnknownWords } from '../../tokenizers/text-tokenizer.ts';
import { JanusChat, type JanusPrompt } from './janus-chat.ts';
import { janusPixelValues } from './janus-image-input.ts';
import { openJanusModelFolder, type JanusModelFolder } from './janus-model-folder.ts';

export interface JanusPipelineOptions extends SessionSettings {
  /** A Janus-layout folder (docs/model-format.md, "Janus-layout folders"). */
  readonly model: string;
  /** Schedulers and plugins (a fresh container with the built-ins by default). */
  readonly container?: DependencyContainer;
  readonly unknownWords?: UnknownWords;
}

export interface JanusRunOptions {
  /** Any registered scheduler for the generated segment (default autoregressive, what Janus was trained for). */
  readonly scheduler?: string;
  /** The scheduler's options (steps, guidance, sampler, ...); guidance uses Janus's all-padding unconditional row. */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface JanusTextOptions extends JanusRunOptions {
  /** Most new tokens; default 32, at most what the positions leave. */
  readonly maxTokens?: number;
}

export interface JanusImageRun {
  readonly promptIds: readonly number[];
  /** Generation codes (gen_head's columns), raster order, one list per image. */
  readonly codes: readonly (readonly number[])[];
  readonly images: readonly Rgb8Image[];
  readonly forwardPasses: number;
  readonly modelMs: number;
  readonly wallMs: number;
}

export interface JanusImageOptions extends JanusRunOptions {
  /** Images of the prompt, decoded together (each row its own draws); default 1. */
  readonly count?: number;
}

/** Most images one generateImage call decodes together. */
export const MAX_JANUS_IMAGES = 64;

export interface JanusTextRun {
  readonly promptIds: readonly number[];
  /** New ids, the EOS included when the answer stopped on it. */
  readonly ids: readonly number[];
  readonly text: string;
  readonly stop: 'eos' | 'max tokens';
  /** What was done to the input image to fit the model (describe). */
  readonly notices: readonly string[];
  readonly modelMs: number;
  readonly wallMs: number;
}

export const DEFAULT_JANUS_TEXT_TOKENS = 32;

/**
 * A Janus-layout folder's tasks through the engine: text -> image (the folder's text_to_image
 * prompt, any scheduler on gen_head's codes, image_decode to RGB), image -> text (the image's
 * pixels through prepare_inputs_embeds at its placeholders) and text -> text, every prompt built
 * from the folder's own tokenizer, templates and processor config.
 */
export class JanusPipeline {
  private constructor(
    readonly folder: JanusModelFolder,
    readonly chat: JanusChat,
    readonly ids: JanusIdSpace,
    private readonly engine: DecodingEngine,
    private readonly model: JanusTransformer,
    private readonly decoder: JanusImageDecoder,
  ) {}

  static async load(options: JanusPipelineOptions): Promise<JanusPipeline> {
    const folder = await openJanusModelFolder(options.model);
    const chat = await JanusChat.load(folder, options.unknownWords ?? 'reject');
    const ids = new JanusIdSpace({
      textVocabSize: folder.textVocabSize, codebookSize: folder.codebookSize, bosTokenId: folder.bosTokenId,
      eosTokenId: folder.eosTokenId, padTokenId: folder.padTokenId, grid: { height: folder.grid, width: folder.grid },
    });
    const session: SessionOptions = {
      ...(options.executionProviders === undefined ? {} : { executionProviders: options.executionProviders }),
      ...(options.intraOpThreads === undefined ? {} : { intraOpThreads: options.intraOpThreads }),
      ...(options.allowSpinning === undefined ? {} : { allowSpinning: options.allowSpinning }),
    };
    const model = await JanusTransformer.load(folder.dir, {
      ...session, ids, maxPositions: folder.maxPositions, table: folder.table,
      imageSize: folder.preprocessing.imageSize, understandingTokens: folder.understandingTokens,
    });
    let decoder: JanusImageDecoder;
    try {
      decoder = await JanusImageDecoder.load(folder.dir, { ...session, table: folder.table });
    } catch (error) {
      await model.dispose();
      throw error;
    }
    const { engine } = createEngine({
      model, vocabulary: ids.vocabulary, decodeText: (tokens) => chat.decode(Array.from(tokens)),
      ...(options.container === undefined ? {} : { container: options.container }),
    });
    return new JanusPipeline(folder, chat, ids, engine, model, decoder);
  }

  async generateImage(prompt: string, options: JanusImageOptions = {}): Promise<JanusImageRun> {
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_JANUS_IMAGES) throw new InputError('count', count, `an integer from 1 to ${MAX_JANUS_IMAGES}`);
    const built = this.chat.generationPrompt(prompt);
    const length = this.folder.grid * this.folder.grid;
    this.checkRoom(built, length, 'the image');
    const steps = options.options?.steps;
    if (typeof steps === 'number' && steps > length) {
      throw new InputError('steps', steps, `at most ${length} (the image's token count: a step past it commits nothing)`);
    }
    const result = await this.decode(built, this.generate('image', length, options), options, count);
    const codes = result.rows.map((row) => Array.from(row.tokens, (id) => this.ids.imageCode(id)));
    const images: Rgb8Image[] = [];
    for (const list of codes) images.push(await this.decoder.decode(list));
    return { promptIds: built.ids, codes, images, forwardPasses: result.forwardPasses, modelMs: result.modelMs, wallMs: result.wallMs };
  }

  /** The decoded image's width and height (from the graph, or one decode of zeros when it leaves them open). */
  imageSize(): Promise<{ readonly width: number; readonly height: number }> {
    return this.decoder.outputSize(this.folder.grid * this.folder.grid);
  }

  /** A question about `image` (RGB; a gray one is converted with a notice); default question "Describe this image.". */
  async describe(image: GrayImage, question = 'Describe this image.', options: JanusTextOptions = {}): Promise<JanusTextRun> {
    const pixels = janusPixelValues(image, this.folder.preprocessing);
    const run = await this.answer(this.chat.understandingPrompt(question, pixels.input), options);
    return { ...run, notices: pixels.notices };
  }

  /** The model's answer to `prompt` (its chat template, no image). */
  async complete(prompt: string, options: JanusTextOptions = {}): Promise<JanusTextRun> {
    return this.answer(this.chat.textPrompt(prompt), options);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
    await this.decoder.dispose();
  }

  private async answer(built: JanusPrompt, options: JanusTextOptions): Promise<JanusTextRun> {
    // A prompt that fills the positions is the prompt's fault, not maxTokens' ("from 1 to 0").
    this.checkRoom(built, 1, 'the answer');
    const room = this.folder.maxPositions - built.ids.length;
    const maxTokens = options.maxTokens ?? Math.min(DEFAULT_JANUS_TEXT_TOKENS, room);
    if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > room) {
      throw new InputError('maxTokens', maxTokens, `an integer from 1 to ${room} (${this.folder.maxPositions} positions - ${built.ids.length} prompt tokens)`);
    }
    const result = await this.decode(built, { ...this.generate('text', maxTokens, options), stop: { eos: true } }, options, 1);
    const row = result.rows[0] as { tokens: Int32Array; end: number };
    // The segment's own length, not the scheduler's step count: a parallel scheduler (maskgit)
    // fills every position in fewer steps than there are tokens.
    const ids = Array.from(row.tokens.subarray(0, Math.min(row.end + 1, row.tokens.length)));
    const stopped = row.end < row.tokens.length;
    return {
      promptIds: built.ids, ids, text: this.chat.decode(ids.slice(0, row.end)), stop: stopped ? 'eos' : 'max tokens', notices: [],
      modelMs: result.modelMs, wallMs: result.wallMs,
    };
  }

  private generate(modality: Modality, length: number, options: JanusRunOptions): GenerateSegment {
    return { type: 'generate', modality, scheduler: options.scheduler ?? 'autoregressive', length, options: options.options ?? {} };
  }

  private checkRoom(built: JanusPrompt, length: number, what: string): void {
    if (built.ids.length + length > this.folder.maxPositions) {
      throw new InputError('prompt', `${built.ids.length} tokens`, `at most ${this.folder.maxPositions - length} tokens (${this.folder.maxPositions} positions, ${length} for ${what})`);
    }
  }

  /** `count` rows of the prompt's segments then `generate`; guidance (when its options ask) sees Janus's all-padding row. */
  private async decode(built: JanusPrompt, generate: GenerateSegment, options: JanusRunOptions, count: number) {
    const pad = this.ids.enginePad;
    const unconditional: Segment[] = [...built.segments.map((segment) => ({ type: 'tokens' as const, ids: Array.from(segment.ids, () => pad) })), generate];
    const request: GenerationRequest = { segments: [...built.segments, generate], unconditional };
    const result = await this.engine.generate(new Array<GenerationRequest>(count).fill(request), {
      seed: parseSeed(options.seed ?? 0, 'seed'), ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const rows = result.rows.map((row) => {
      const segment = row.segments[built.segments.length];
      const tokens = segment?.tokens ?? new Int32Array(0);
      return { tokens, end: segment?.end ?? tokens.length };
    });
    return { rows, forwardPasses: result.stats.forwardPasses, modelMs: result.stats.modelMs, wallMs: result.stats.wallMs };
  }
}
