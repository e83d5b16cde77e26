import type { JanusIdSpace } from '../../backends/onnx/janus/janus-id-space.ts';
import { JanusImageDecoder, type Rgb8Image } from '../../backends/onnx/janus/janus-image-decoder.ts';
import { JanusTransformer } from '../../backends/onnx/janus/janus-transformer.ts';
import { parseSeed } from '../../core/config/parse-seed.ts';
import type { DecodingEngine } from '../../core/decoding-engine.ts';
import type { GenerateSegment, GenerationRequest, Modality, Segment } from '../../core/request.ts';
import type { SessionOptions } from '../../core/transformer-backend.ts';
import { createEngine } from '../../omnidecode-container.ts';
import type { GrayImage } from '../../tokenizers/png-image.ts';
import type { JanusChat, JanusPrompt } from './janus-chat.ts';
import type { JanusModelFolder } from './janus-model-folder.ts';
import { JanusPrompts, type JanusAnswerPlan, type JanusImagePlan, type JanusPipelineOptions } from './janus-prompts.ts';

export { DEFAULT_JANUS_TEXT_TOKENS, JanusPrompts, MAX_JANUS_IMAGES } from './janus-prompts.ts';
export type { JanusAnswerPlan, JanusImagePlan, JanusPipelineOptions } from './janus-prompts.ts';

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

/**
 * A Janus-layout folder's tasks through the engine: text -> image (the folder's text_to_image
 * prompt, any scheduler on gen_head's codes, image_decode to RGB), image -> text (the image's
 * pixels through prepare_inputs_embeds at its placeholders) and text -> text, every prompt built
 * from the folder's own tokenizer, templates and processor config (JanusPrompts, which a caller may
 * open first to check a request before the graphs load).
 */
export class JanusPipeline {
  private constructor(
    readonly prompts: JanusPrompts,
    private readonly engine: DecodingEngine,
    private readonly model: JanusTransformer,
    private readonly decoder: JanusImageDecoder,
  ) {}

  /** Opens the folder (or takes one already opened with JanusPrompts.open) and loads its graphs. */
  static async load(from: JanusPipelineOptions | JanusPrompts): Promise<JanusPipeline> {
    const prompts = from instanceof JanusPrompts ? from : await JanusPrompts.open(from);
    const { folder, chat, ids, options } = prompts;
    const session: SessionOptions = {
      ...(options.executionProviders === undefined ? {} : { executionProviders: options.executionProviders }),
      ...(options.threads === undefined ? {} : { intraOpThreads: options.threads }),
      ...(options.allowSpinning === undefined ? {} : { allowSpinning: options.allowSpinning }),
    };
    const model = await JanusTransformer.load(folder.dir, {
      ...session, ids, maxPositions: folder.maxPositions, table: folder.table,
      imageSize: folder.preprocessing.imageSize, understandingTokens: folder.understandingTokens,
    });
    let decoder: JanusImageDecoder | undefined;
    try {
      decoder = await JanusImageDecoder.load(folder.dir, { ...session, table: folder.table });
      const { engine } = createEngine({
        model, vocabulary: ids.vocabulary, decodeText: (tokens) => chat.decode(Array.from(tokens)),
        ...(options.container === undefined ? {} : { container: options.container }),
      });
      return new JanusPipeline(prompts, engine, model, decoder);
    } catch (error) {
      // Whatever loaded is released: a failed load leaves no sessions behind.
      await model.dispose();
      await decoder?.dispose();
      throw error;
    }
  }

  get folder(): JanusModelFolder {
    return this.prompts.folder;
  }

  get chat(): JanusChat {
    return this.prompts.chat;
  }

  get ids(): JanusIdSpace {
    return this.prompts.ids;
  }

  async generateImage(prompt: string, options: JanusImageOptions = {}): Promise<JanusImageRun> {
    return this.generatePlanned(this.prompts.image(prompt, options.count, options.options?.steps), options);
  }

  /** An image request checked beforehand (JanusPrompts.image). */
  async generatePlanned(plan: JanusImagePlan, options: JanusRunOptions = {}): Promise<JanusImageRun> {
    const result = await this.decode(plan.prompt, this.generate('image', plan.length, options), options, plan.count);
    const codes = result.rows.map((row) => Array.from(row.tokens, (id) => this.ids.imageCode(id)));
    const images: Rgb8Image[] = [];
    for (const list of codes) images.push(await this.decoder.decode(list));
    return { promptIds: plan.prompt.ids, codes, images, forwardPasses: result.forwardPasses, modelMs: result.modelMs, wallMs: result.wallMs };
  }

  /** The decoded image's width and height (from the graph, or one decode of zeros when it leaves them open). */
  imageSize(): Promise<{ readonly width: number; readonly height: number }> {
    return this.decoder.outputSize(this.folder.grid * this.folder.grid);
  }

  /** A question about `image` (RGB; a gray one is converted with a notice); default question "Describe this image.". */
  async describe(image: GrayImage, question?: string, options: JanusTextOptions = {}): Promise<JanusTextRun> {
    return this.answer(this.prompts.describe(image, question, options.maxTokens), options);
  }

  /** The model's answer to `prompt` (its chat template, no image). */
  async complete(prompt: string, options: JanusTextOptions = {}): Promise<JanusTextRun> {
    return this.answer(this.prompts.complete(prompt, options.maxTokens), options);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
    await this.decoder.dispose();
  }

  /** A text answer checked beforehand (JanusPrompts.describe or .complete). */
  async answer(plan: JanusAnswerPlan, options: JanusRunOptions = {}): Promise<JanusTextRun> {
    const result = await this.decode(plan.prompt, { ...this.generate('text', plan.maxTokens, options), stop: { eos: true } }, options, 1);
    const row = result.rows[0] as { tokens: Int32Array; end: number };
    // The segment's own length, not the scheduler's step count: a parallel scheduler (maskgit)
    // fills every position in fewer steps than there are tokens.
    const ids = Array.from(row.tokens.subarray(0, Math.min(row.end + 1, row.tokens.length)));
    const stopped = row.end < row.tokens.length;
    return {
      promptIds: plan.prompt.ids, ids, text: this.chat.decode(ids.slice(0, row.end)), stop: stopped ? 'eos' : 'max tokens', notices: plan.notices,
      modelMs: result.modelMs, wallMs: result.wallMs,
    };
  }

  private generate(modality: Modality, length: number, options: JanusRunOptions): GenerateSegment {
    return { type: 'generate', modality, scheduler: options.scheduler ?? 'autoregressive', length, options: options.options ?? {} };
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
