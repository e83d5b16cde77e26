import type { DependencyContainer } from 'tsyringe';
import { InputError } from '../core/errors.ts';
import { parseSeed } from '../core/config/parse-seed.ts';
import type { DecodingEngine, GenerateOptions } from '../core/decoding-engine.ts';
import type { GenerationRequest, Modality } from '../core/request.ts';
import type { GenerationResult } from '../core/generation-result.ts';
import { OnnxGraph, OnnxTransformer } from '../core/onnx-backend.ts';
import { createEngine, createSchedulerContainer } from '../core/omnidecode-container.ts';
import type { SchedulerRegistry } from '../core/scheduler-registry.ts';
import { ImageTokenizer } from '../tokenizers/image-tokenizer.ts';
import type { ModelConfig } from '../tokenizers/model-config.ts';
import { toVocabularyLayout } from '../tokenizers/model-config.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import { TextTokenizer, type UnknownWords } from '../tokenizers/text-tokenizer.ts';
import { UnifiedVocabulary } from '../tokenizers/unified-vocabulary.ts';
import { describeRequest } from './describe-request.ts';
import { editRequest } from './edit-request.ts';
import { DEFAULT_MODEL_DIR, openModelFolder, type ModelFolder } from './model-folder.ts';
import type { PromptLayout } from './prompt-layout.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';
import { textToImageRequest } from './text-to-image-request.ts';

export interface PipelineOptions {
  /** Model folder; the embedded default model when omitted. */
  readonly model?: string;
  /** A container with plugins already loaded; a fresh one otherwise. */
  readonly container?: DependencyContainer;
  readonly threads?: number;
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

export interface ImageRun {
  readonly codes: Int32Array[];
  readonly images: GrayImage[];
  readonly results: GenerationResult[];
}

export interface TextRun {
  readonly texts: string[];
  readonly results: GenerationResult[];
}

/**
 * The embedded model end to end: tokenizers, the unified transformer through the engine, the VQ
 * decoder, and the evaluation classifier. Every task is a request builder plus one engine call.
 */
export class OmnidecodePipeline {
  private constructor(
    readonly folder: ModelFolder,
    readonly vocabulary: UnifiedVocabulary,
    readonly textTokenizer: TextTokenizer,
    readonly imageTokenizer: ImageTokenizer,
    readonly engine: DecodingEngine,
    readonly schedulers: SchedulerRegistry,
    private readonly model: OnnxTransformer,
    private readonly graphs: readonly OnnxGraph[],
  ) {}

  static async load(options: PipelineOptions = {}): Promise<OmnidecodePipeline> {
    const folder = await openModelFolder(options.model ?? DEFAULT_MODEL_DIR);
    const { config } = folder;
    const session = options.threads === undefined ? {} : { intraOpThreads: options.threads };
    const model = await OnnxTransformer.load(folder.file(config.transformer.file), {
      ...session, layers: config.transformer.numLayers, vocabSize: config.vocabulary.vocabSize,
      maxPositions: config.transformer.maxPositions, numHeads: config.transformer.numHeads,
      headDim: config.transformer.headDim, requireOmniAttention: true,
    });
    const encoder = await OnnxGraph.load(folder.file(config.vq.encoder), { ...session, expectedInputs: ['pixels'], expectedOutputs: ['codes'] });
    const decoder = await OnnxGraph.load(folder.file(config.vq.decoder), { ...session, expectedInputs: ['codes'], expectedOutputs: ['pixels'] });
    const textTokenizer = await TextTokenizer.load(folder.file('tokenizer.json'), { unknownWords: options.unknownWords ?? 'reject' });
    const imageTokenizer = new ImageTokenizer(encoder, decoder, {
      imageSize: config.vq.imageSize, grid: config.vocabulary.imageGrid, codebookSize: config.vocabulary.imageCodebookSize,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    const vocabulary = new UnifiedVocabulary(toVocabularyLayout(config));
    const container = options.container ?? createSchedulerContainer().container;
    const { engine, schedulers } = createEngine({
      model, vocabulary, container, decodeText: (ids) => textTokenizer.decode(Array.from(ids).filter((id) => vocabulary.isTextToken(id))),
    });
    return new OmnidecodePipeline(folder, vocabulary, textTokenizer, imageTokenizer, engine, schedulers, model, [encoder, decoder]);
  }

  get config(): ModelConfig { return this.folder.config; }

  get promptLayout(): PromptLayout { return this.config.prompts; }

  /**
   * The model's default scheduler for a modality, overridden by `choice`. Model defaults only fill
   * parameters the chosen scheduler accepts (a plugin scheduler may not take `steps`).
   */
  schedulerFor(modality: Modality, choice: Partial<SegmentScheduler> = {}): SegmentScheduler {
    const defaults = this.config.defaults[modality];
    const name = choice.name ?? defaults.scheduler;
    const accepted = Object.keys(this.schedulers.get(name).parameters.shape);
    const modelDefaults: Record<string, unknown> = modality === 'image'
      ? { steps: this.config.defaults.image.steps, guidance: this.config.defaults.image.guidance }
      : { sampler: { draw: 'greedy' } };
    // Only the model's defaults are filtered; the user's options go to the schema, which names a bad field.
    const options = { ...Object.fromEntries(Object.entries(modelDefaults).filter(([key]) => accepted.includes(key))), ...choice.options };
    this.schedulers.parseOptions(name, options, name, modality);
    return { name, options };
  }

  encodeText(text: string): number[] {
    return this.textTokenizer.encode(text);
  }

  /** Runs requests in batches; every batch gets its own seed stream derived from the run's seed. */
  private async runBatches(requests: GenerationRequest[], options: RunOptions): Promise<GenerationResult[]> {
    const batchSize = Math.max(1, options.batchSize ?? 16);
    // Checked here, where every task's seed passes: an integer in [0, 2^32), so 5 and 5.0 are one seed.
    const runSeed = parseSeed(options.seed ?? 0, 'seed');
    const results: GenerationResult[] = [];
    for (let start = 0; start < requests.length; start += batchSize) {
      const batch = requests.slice(start, start + batchSize);
      const seed = `${runSeed}/batch-${start / batchSize}`;
      results.push(await this.engine.generate(batch, { ...options, seed }));
      options.onBatch?.(Math.min(start + batchSize, requests.length), requests.length);
    }
    return results;
  }

  private imageCodes(results: readonly GenerationResult[], segmentIndex: number): Int32Array[] {
    return results.flatMap((result) => result.rows.map((row) => {
      const segment = row.segments[segmentIndex];
      if (segment === undefined) throw new InputError('segment', segmentIndex, 'a generated image segment');
      return segment.tokens.map((id) => this.vocabulary.idToCode(id));
    }));
  }

  async textToImage(prompts: readonly string[], options: RunOptions = {}): Promise<ImageRun> {
    const scheduler = this.schedulerFor('image', options.scheduler);
    const requests = prompts.map((prompt) => textToImageRequest(this.encodeText(prompt), this.vocabulary, this.promptLayout, scheduler));
    const results = await this.runBatches(requests, options);
    const codes = this.imageCodes(results, 1);
    return { codes, images: await this.imageTokenizer.decode(codes), results };
  }

  /** Regenerates the masked part (mask value ≥ 0.5 on the token grid) of each image under a prompt. */
  async inpaint(image: GrayImage, mask: GrayImage, prompt: string, options: RunOptions & { count?: number } = {}): Promise<ImageRun & { grid: Uint8Array }> {
    const scheduler = this.schedulerFor('image', options.scheduler);
    const [codes] = await this.imageTokenizer.encode([image]);
    const grid = this.imageTokenizer.maskToGrid(mask, image);
    const known = Array.from(codes as Int32Array, (code, index) => (grid[index] === 1 ? -1 : code));
    const words = this.encodeText(prompt);
    const requests = Array.from({ length: options.count ?? 1 }, () => textToImageRequest(words, this.vocabulary, this.promptLayout, scheduler, known));
    const results = await this.runBatches(requests, options);
    const out = this.imageCodes(results, 1);
    return { codes: out, images: await this.imageTokenizer.decode(out), results, grid };
  }

  async edit(images: readonly GrayImage[], instruction: string, options: RunOptions = {}): Promise<ImageRun> {
    // Editing rows were never trained with a dropped instruction, so guidance is off unless asked for.
    const scheduler = this.schedulerFor('image', { ...options.scheduler, options: { guidance: 0, ...options.scheduler?.options } });
    const words = this.encodeText(instruction);
    const sources = await this.imageTokenizer.encode(images);
    const requests = sources.map((codes) => editRequest(codes, words, this.vocabulary, this.promptLayout, scheduler));
    const results = await this.runBatches(requests, options);
    const codes = this.imageCodes(results, 3);
    return { codes, images: await this.imageTokenizer.decode(codes), results };
  }

  async describe(images: readonly GrayImage[], options: RunOptions & { question?: string; maxTokens?: number } = {}): Promise<TextRun> {
    const scheduler = this.schedulerFor('text', options.scheduler);
    const question = this.encodeText(options.question ?? this.config.prompts.mmuQuestion);
    const codes = await this.imageTokenizer.encode(images);
    return this.describeCodes(codes, options, scheduler, question);
  }

  /** Image -> text from codes (skips the VQ encoder: the benchmark and evaluation reuse encoded images). */
  async describeCodes(codes: readonly ArrayLike<number>[], options: RunOptions & { maxTokens?: number }, scheduler = this.schedulerFor('text', options.scheduler), question = this.encodeText(this.config.prompts.mmuQuestion)): Promise<TextRun> {
    const maxTokens = options.maxTokens ?? this.config.defaults.text.maxTokens;
    const requests = codes.map((imageCodes) => describeRequest(imageCodes, question, this.vocabulary, scheduler, maxTokens));
    const results = await this.runBatches(requests, options);
    const texts = results.flatMap((result) => result.rows.map((row) => {
      const answer = row.segments[3];
      if (answer === undefined) return '';
      return this.textToString(answer.tokens.subarray(0, answer.end ?? answer.length));
    }));
    return { texts, results };
  }

  textToString(ids: ArrayLike<number>): string {
    return this.textTokenizer.decode(Array.from(ids).filter((id) => this.vocabulary.isTextToken(id)));
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
    for (const graph of this.graphs) await graph.dispose();
  }
}
