import { ConfigError, InputError } from '../core/errors.ts';
import { parseSeed } from '../core/config/parse-seed.ts';
import { mergeSessionSettings, toSessionOptions } from '../core/config/session-settings.ts';
import type { DecodingEngine } from '../core/decoding-engine.ts';
import type { GenerationRequest, Modality } from '../core/request.ts';
import type { GenerationResult } from '../core/generation-result.ts';
import { createEngine } from '../omnidecode-container.ts';
import { createNodeSchedulerContainer } from '../node/node-scheduler-container.ts';
import { transformerBackendIn } from '../node/node-transformer-backend.ts';
import type { SchedulerRegistry } from '../core/scheduler-registry.ts';
import type { TensorGraph } from '../core/tensor-graph.ts';
import type { Transformer } from '../core/transformer.ts';
import { ImageTokenizer } from '../tokenizers/image-tokenizer.ts';
import type { ModelConfig } from '../tokenizers/model-config.ts';
import { toVocabularyLayout } from '../tokenizers/model-config.ts';
import type { PromptTemplates } from '../tokenizers/prompts-config.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import { TextTokenizer } from '../tokenizers/text-tokenizer.ts';
import { UnifiedVocabulary } from '../core/unified-vocabulary.ts';
import type { ChatOptions } from './chat-options.ts';
import type { ChatRun } from './chat-result.ts';
import { runChat } from './chat-run.ts';
import { checkDescribeFits, describeRequest } from './describe-request.ts';
import { editPromptLength, editRequest } from './edit-request.ts';
import { checkCodeGrids, checkImage, checkImages, checkPrompt, checkPrompts } from './input-checks.ts';
import { DEFAULT_MODEL_DIR, openModelFolder, type ModelFolder } from './model-folder.ts';
import { outpaintCanvas, resolveOutpaintBand, type OutpaintBand } from './outpaint-band.ts';
import {
  checkPipelineOptions, checkRunOptions, type DescribeOptions, type OutpaintOptions, type PipelineOptions, type RunOptions, type SampleOptions,
} from './pipeline-options.ts';
import { checkPositionLimit } from './position-limit-check.ts';
import type { PromptLayout } from './prompt-layout.ts';
import { applyPromptTemplate } from './prompt-template.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';
import type { ImageRun, InpaintRun, OutpaintRun, TextRun } from './task-runs.ts';
import { textToImageRequest } from './text-to-image-request.ts';

export type { DescribeOptions, OutpaintOptions, PipelineOptions, RunOptions, SampleOptions } from './pipeline-options.ts';

export type { ImageRun, InpaintRun, OutpaintRun, TextRun } from './task-runs.ts';

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
    private readonly model: Transformer,
    private readonly graphs: readonly TensorGraph[],
  ) {}

  static async load(options: PipelineOptions = {}): Promise<OmnidecodePipeline> {
    checkPipelineOptions(options);
    const folder = await openModelFolder(options.model ?? DEFAULT_MODEL_DIR);
    const { config } = folder;
    // The folder's own settings, then the caller's.
    const session = toSessionOptions(mergeSessionSettings(config.session, {
      ...(options.threads === undefined ? {} : { intraOpThreads: options.threads }),
      ...(options.executionProviders === undefined ? {} : { executionProviders: options.executionProviders }),
      ...(options.allowSpinning === undefined ? {} : { allowSpinning: options.allowSpinning }),
    }));
    // The container's backend (onnxruntime-node unless the caller registered another).
    const container = options.container ?? createNodeSchedulerContainer().container;
    const backend = transformerBackendIn(container);
    const model = await backend.loadTransformer(folder.file(config.transformer.file), {
      ...session, layers: config.transformer.numLayers, vocabSize: config.vocabulary.vocabSize,
      maxPositions: config.transformer.maxPositions, numHeads: config.transformer.numHeads,
      headDim: config.transformer.headDim, requireOmniAttention: true,
    });
    await checkPositionLimit(model, folder.file(config.transformer.file), config.transformer.maxPositions, folder.file('config.json'))
      .catch(async (error: unknown) => { await model.dispose(); throw error; });
    const encoder = await backend.loadGraph(folder.file(config.vq.encoder), { ...session, expectedInputs: ['pixels'], expectedOutputs: ['codes'] });
    const decoder = await backend.loadGraph(folder.file(config.vq.decoder), { ...session, expectedInputs: ['codes'], expectedOutputs: ['pixels'] });
    const textTokenizer = await TextTokenizer.load(folder.file('tokenizer.json'), { unknownWords: options.unknownWords ?? 'reject' });
    const imageTokenizer = new ImageTokenizer(encoder, decoder, {
      imageSize: config.vq.imageSize, grid: config.vocabulary.imageGrid, codebookSize: config.vocabulary.imageCodebookSize, channels: config.vq.channels,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    const vocabulary = new UnifiedVocabulary(toVocabularyLayout(config));
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
    if (modality !== 'image' && modality !== 'text') throw new InputError('modality', modality, '"image" or "text"');
    checkRunOptions({ scheduler: choice });
    const defaults = this.config.defaults[modality];
    const name = choice.name ?? defaults.scheduler;
    const accepted = Object.keys(this.schedulers.get(name).parameters.shape);
    const modelDefaults: Record<string, unknown> = modality === 'image'
      ? { steps: this.config.defaults.image.steps, guidance: this.config.defaults.image.guidance }
      : { sampler: { draw: 'greedy' } };
    // Only the model's defaults are filtered; the user's options go to the schema, which names a bad field.
    const options = { ...Object.fromEntries(Object.entries(modelDefaults).filter(([key]) => accepted.includes(key))), ...choice.options };
    this.schedulers.parseOptions(name, options, name, modality);
    // A parallel step past the segment's token count commits nothing: refuse rather than spin.
    const tokens = this.imageTokenizer.codesPerImage;
    if (modality === 'image' && typeof options.steps === 'number' && options.steps > tokens) {
      throw new ConfigError('steps', options.steps, `at most ${tokens}`,
        `steps ${options.steps} > ${tokens} image tokens to fill: a step past the token count commits nothing; use at most ${tokens}`);
    }
    return { name, options };
  }

  encodeText(text: string): number[] {
    return this.textTokenizer.encode(checkPrompt(text, 'text'));
  }

  /** A task's user text in the model's template for that task (config.json prompts.templates), tokenized. */
  encodePrompt(task: keyof PromptTemplates, text: string): number[] {
    return this.encodeText(applyPromptTemplate(this.promptLayout, task, checkPrompt(text, 'text')));
  }

  /** Runs requests in batches; every batch gets its own seed stream derived from the run's seed. */
  private async runBatches(requests: GenerationRequest[], options: RunOptions): Promise<GenerationResult[]> {
    const batchSize = options.batchSize ?? 16;
    // Checked here, where every task's seed passes: an integer in [0, 2^32), so 5 and 5.0 are one seed.
    const runSeed = parseSeed(options.seed ?? 0, 'seed');
    const results: GenerationResult[] = [];
    for (let start = 0; start < requests.length; start += batchSize) {
      const batch = requests.slice(start, start + batchSize);
      results.push(await this.engine.generate(batch, { ...options, seed: runSeed, stream: `batch-${start / batchSize}` }));
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
    checkPrompts(prompts);
    const scheduler = this.schedulerFor('image', checkRunOptions<RunOptions>(options).scheduler);
    const requests = prompts.map((prompt) => textToImageRequest(this.encodePrompt('textToImage', prompt), this.vocabulary, this.promptLayout, scheduler));
    const results = await this.runBatches(requests, options);
    const codes = this.imageCodes(results, 1);
    return { codes, images: await this.imageTokenizer.decode(codes), results };
  }

  /** Regenerates the masked part (mask value ≥ 0.5 on the token grid) of each image under a prompt. */
  async inpaint(image: GrayImage, mask: GrayImage, prompt: string, options: SampleOptions = {}): Promise<InpaintRun> {
    checkImage(image, 'image');
    checkImage(mask, 'mask');
    checkPrompt(prompt, 'prompt');
    checkRunOptions(options);
    const [codes] = await this.imageTokenizer.encode([image]);
    const grid = this.imageTokenizer.maskToGrid(mask, image);
    const known = Array.from(codes as Int32Array, (code, index) => (grid[index] === 1 ? -1 : code));
    return { ...(await this.fillUnknown(known, prompt, options)), grid };
  }

  /**
   * Extends the image past its edges on the model's fixed token grid (see outpaint-band.ts): the
   * codes move away from each extended side, the band there is generated, the rest kept exactly.
   */
  async outpaint(image: GrayImage, band: OutpaintBand, prompt: string, options: OutpaintOptions = {}): Promise<OutpaintRun> {
    checkImage(image, 'image');
    checkPrompt(prompt, 'prompt');
    checkRunOptions(options);
    const tokens = resolveOutpaintBand(band, options.unit, this.imageTokenizer.imageSize, this.imageTokenizer.grid);
    const [codes] = await this.imageTokenizer.encode([image]);
    const canvas = outpaintCanvas(codes as Int32Array, this.imageTokenizer.grid, tokens);
    return { ...(await this.fillUnknown(canvas.known, prompt, options)), grid: canvas.grid, known: canvas.known, band: tokens };
  }

  /** Text -> image with `known` codes kept (-1 generated): inpainting and outpainting, `count` samples. */
  private async fillUnknown(known: ArrayLike<number>, prompt: string, options: SampleOptions): Promise<ImageRun> {
    const scheduler = this.schedulerFor('image', options.scheduler);
    const words = this.encodePrompt('textToImage', prompt);
    const requests = Array.from({ length: options.count ?? 1 }, () => textToImageRequest(words, this.vocabulary, this.promptLayout, scheduler, known));
    const results = await this.runBatches(requests, options);
    const codes = this.imageCodes(results, 1);
    return { codes, images: await this.imageTokenizer.decode(codes), results };
  }

  async edit(images: readonly GrayImage[], instruction: string, options: RunOptions = {}): Promise<ImageRun> {
    checkImages(images);
    checkPrompt(instruction, 'instruction');
    checkRunOptions(options);
    editPromptLength(this.vocabulary, this.promptLayout);
    // Editing rows were never trained with a dropped instruction, so guidance is off unless asked for.
    const scheduler = this.schedulerFor('image', { ...options.scheduler, options: { guidance: 0, ...options.scheduler?.options } });
    const words = this.encodePrompt('edit', instruction);
    const sources = await this.imageTokenizer.encode(images);
    const requests = sources.map((codes) => editRequest(codes, words, this.vocabulary, this.promptLayout, scheduler));
    const results = await this.runBatches(requests, options);
    const codes = this.imageCodes(results, 3);
    return { codes, images: await this.imageTokenizer.decode(codes), results };
  }

  async describe(images: readonly GrayImage[], options: DescribeOptions = {}): Promise<TextRun> {
    checkImages(images);
    checkRunOptions(options);
    const scheduler = this.schedulerFor('text', options.scheduler);
    const question = this.encodePrompt('describe', options.question ?? this.config.prompts.mmuQuestion);
    const codes = await this.imageTokenizer.encode(images);
    return this.describeCodes(codes, options, scheduler, question);
  }

  /** Image -> text from codes (skips the VQ encoder: the benchmark and evaluation reuse encoded images). */
  async describeCodes(codes: readonly ArrayLike<number>[], options: DescribeOptions = {}, scheduler?: SegmentScheduler, question?: readonly number[]): Promise<TextRun> {
    checkCodeGrids(codes, this.imageTokenizer.codesPerImage, this.imageTokenizer.codebookSize);
    checkRunOptions(options);
    if (question !== undefined && !Array.isArray(question)) throw new InputError('question', question, 'an array of token ids (encodeText)');
    const ids = question ?? this.encodePrompt('describe', options.question ?? this.config.prompts.mmuQuestion);
    const chosen = scheduler ?? this.schedulerFor('text', options.scheduler);
    const maxTokens = options.maxTokens ?? this.config.defaults.text.maxTokens;
    checkDescribeFits(this.imageTokenizer.codesPerImage, ids.length, maxTokens, this.config.transformer.maxPositions);
    const requests = codes.map((imageCodes) => describeRequest(imageCodes, ids, this.vocabulary, chosen, maxTokens));
    const results = await this.runBatches(requests, options);
    const texts = results.flatMap((result) => result.rows.map((row) => {
      const answer = row.segments[3];
      if (answer === undefined) return '';
      return this.textToString(answer.tokens.subarray(0, answer.end ?? answer.length));
    }));
    return { texts, results };
  }

  /**
   * Interleaved chat (docs/model-format.md, "Chat layout"): each turn's answer is decoded after
   * everything said so far; the model itself decides when to draw an image and when to write words.
   */
  async chat(turns: string | readonly string[], options: ChatOptions = {}): Promise<ChatRun> {
    return runChat(this, turns, options);
  }

  textToString(ids: ArrayLike<number>): string {
    if (typeof ids !== 'object' || ids === null || typeof ids.length !== 'number') throw new InputError('ids', ids, 'an array of token ids');
    return this.textTokenizer.decode(Array.from(ids).filter((id) => this.vocabulary.isTextToken(id)));
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
    for (const graph of this.graphs) await graph.dispose();
  }
}
