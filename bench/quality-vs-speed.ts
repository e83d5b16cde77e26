import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createEngine, createSchedulerContainer } from '../src/omnidecode-container.ts';
import type { DecodingEngine } from '../src/core/decoding-engine.ts';
import type { GenerationResult } from '../src/core/generation-result.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { answerClass } from '../src/evaluation/answer-class.ts';
import { loadEvalSet, type EvalSet } from '../src/evaluation/eval-set.ts';
import { classPrompt } from '../src/evaluation/model-evaluations.ts';
import { describeRequest } from '../src/pipeline/describe-request.ts';
import type { ModelFolder } from '../src/pipeline/model-folder.ts';
import type { SegmentScheduler } from '../src/pipeline/scheduler-choice.ts';
import { textToImageRequest } from '../src/pipeline/text-to-image-request.ts';
import { readSweepFile } from '../src/sweeps/read-sweep-file.ts';
import { loadSweepModel } from '../src/sweeps/sweep-model.ts';
import { recordRun, type BenchContext } from './bench-context.ts';
import { RecomputeTransformer } from './no-cache-baselines.ts';
import { runQualitySweep } from './quality-sweep.ts';
import { measureInterleaved, sum, summarize, type TimingSummary } from './timing.ts';

/**
 * Quality against speed on the embedded model: one row per image scheduler setting (AR raster with a
 * KV cache, the maskgit grid, every plugin scheduler), judged by the evaluation classifier (class
 * accuracy, Fréchet distance to the real test set's features), plus image -> text rows with and
 * without the KV cache. The image rows are a sweep file (quality.sweep.yaml, quality-quick.sweep.yaml
 * in quick mode) run by `omnidecode sweep`'s runner: see quality-sweep.ts.
 */

export interface QualityRow {
  readonly label: string;
  readonly family: 'autoregressive' | 'maskgit' | 'plugin';
  readonly scheduler: string;
  /** The options as the scheduler parsed them (defaults filled in). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly source: string;
  /** Batch 1: mean forwards to generate one image (CFG rows share each forward). */
  readonly forwardPassesPerImage: number;
  /** Batch 1: the decode's wall time per image, over every image of the row (one sample per sweep job). */
  readonly wall: TimingSummary;
  /** 1 − Σ modelMs / Σ wallMs over the row's generations. */
  readonly engineOverhead: number;
  readonly images: number;
  readonly accuracy: number;
  readonly perClass: readonly number[];
  readonly frechetDistance: number;
}

export interface TextRow {
  readonly label: string;
  readonly images: number;
  readonly tokens: number;
  readonly wall: TimingSummary;
  readonly tokensPerSecond: number;
  readonly accuracy: number;
  readonly forwardPasses: number;
  /** The first few answers with their labels. */
  readonly examples: readonly string[];
}

export interface QualityReport {
  readonly status: 'measured' | 'model not found';
  readonly modelDir: string;
  readonly message?: string;
  readonly model?: { name: string; layers: number; hidden: number; heads: number; imageTokens: number; codebook: number; vocabSize: number; promptTokens: number };
  readonly plugins?: readonly { plugin: string; ok: boolean; schedulers: readonly string[]; error?: string }[];
  /** The sweep file the image rows ran (bench/quality.sweep.yaml or the quick one). */
  readonly sweepFile?: string;
  readonly imagesPerClass?: number;
  /** How the images per class were chosen (time budget and probe). */
  readonly sizing?: string;
  readonly rows?: readonly QualityRow[];
  readonly text?: {
    readonly inputs: string;
    readonly rows: readonly TextRow[];
    readonly identical: string;
  };
  readonly comparison?: { readonly arAccuracy: number; readonly maskgitLabel: string; readonly maskgitAccuracy: number; readonly differencePoints: number };
  readonly notes: readonly string[];
}

/** Images fed to the image -> text rows. */
const TEXT_IMAGES = { full: 100, quick: 10 } as const;
/** Rows decoded together when the model's own images stand in for test images. */
const TEXT_INPUT_BATCH = 20;

/** The eval slice shipped with the model, or (for a model folder without one) the one in models/default. */
function findEvalSet(folder: ModelFolder, root: string): { set: EvalSet; where: string } | undefined {
  const candidates: ModelFolder[] = [folder, { ...folder, dir: join(root, 'models/default'), file: (relative) => join(root, 'models/default', relative) }];
  for (const candidate of candidates) {
    if (!existsSync(candidate.file('eval/eval-set.json'))) continue;
    return { set: loadEvalSet(candidate), where: candidate.file('eval') };
  }
  return undefined;
}

export async function runQuality(context: BenchContext): Promise<QualityReport> {
  const { log } = context;
  const notes: string[] = [];
  if (!existsSync(join(context.modelDir, 'config.json'))) {
    const message = `model not found: ${join(context.modelDir, 'config.json')} does not exist (the embedded model is not trained/exported yet); ` +
      'the quality section runs once it is there (or pass --model <folder>).';
    log(`quality: ${message}`);
    return { status: 'model not found', modelDir: context.modelDir, message, notes };
  }

  const sweepPath = join(context.root, 'bench', context.quick ? 'quality-quick.sweep.yaml' : 'quality.sweep.yaml');
  const sweep = await readSweepFile(sweepPath);
  // The model is the bench's (--model), whatever the sweep file names.
  const model = await loadSweepModel({ model: context.modelDir, plugins: sweep.plugins, baseDir: sweep.baseDir, threads: context.threads });
  // loadSweepModel refuses a sweep whose plugins do not all load: every result here is a loaded plugin.
  const plugins = model.plugins.flatMap((result) => (result.ok ? [{ plugin: result.plugin, ok: true, schedulers: result.schedulers }] : []));
  const { pipeline, classifier } = model;
  const { folder, config, vocabulary } = pipeline;
  const transformer = await OnnxTransformer.load(folder.file(config.transformer.file), {
    intraOpThreads: context.threads, layers: config.transformer.numLayers, vocabSize: config.vocabulary.vocabSize,
    maxPositions: config.transformer.maxPositions, numHeads: config.transformer.numHeads, headDim: config.transformer.headDim,
    requireOmniAttention: true,
  }).catch(async (error: unknown) => { await model.dispose(); throw error; });
  const { container } = createSchedulerContainer();
  const decodeText = (ids: ArrayLike<number>): string => pipeline.textToString(ids);
  const engine = createEngine({ model: transformer, vocabulary, container, decodeText }).engine;
  const recomputeEngine = createEngine({ model: new RecomputeTransformer(transformer), vocabulary, container, decodeText }).engine;
  const where = 'embedded model';
  const sweepFile = `bench/${basename(sweepPath)}`;

  try {
    const names = config.prompts.classNames;
    const { rows, perClass, sizing: sizingNote } = await runQualitySweep(sweep, sweepFile, model, context);
    const imagesPerSetting = perClass * names.length;
    const textImages = context.quick ? TEXT_IMAGES.quick : TEXT_IMAGES.full;

    // Image -> text: held-out test images when the model ships them, else the model's own images.
    let inputs: string;
    let textCodes: Int32Array[];
    let textLabels: number[];
    const evalSet = findEvalSet(folder, context.root);
    if (evalSet !== undefined) {
      const count = Math.min(textImages, evalSet.set.images.length);
      textCodes = await pipeline.imageTokenizer.encode(evalSet.set.images.slice(0, count));
      textLabels = Array.from(evalSet.set.labels.slice(0, count));
      inputs = `the first ${count} held-out test images of ${evalSet.where}, VQ-encoded; label = the test label`;
    } else {
      const scheduler = pipeline.schedulerFor('image');
      const words = names.map((name) => pipeline.encodeText(classPrompt(name)));
      const inputLabels = names.flatMap((_, label) => new Array<number>(Math.max(1, Math.round(textImages / names.length))).fill(label));
      const codes: Int32Array[] = [];
      for (let start = 0; start < inputLabels.length; start += TEXT_INPUT_BATCH) {
        const batch = inputLabels.slice(start, start + TEXT_INPUT_BATCH).map((label) => textToImageRequest(words[label] as number[], vocabulary, pipeline.promptLayout, scheduler));
        const result = await engine.generate(batch, { seed: 0, stream: `text-inputs/${start}` });
        for (const row of result.rows) codes.push((row.segments[1]?.tokens ?? new Int32Array(0)).map((id) => vocabulary.idToCode(id)));
      }
      const defaultCodes = { codes, labels: inputLabels };
      textCodes = defaultCodes.codes.slice(0, textImages);
      textLabels = defaultCodes.labels.slice(0, textImages);
      inputs = 'no eval/ test images found: the model\'s own images (its default image scheduler, "a {class}" prompts), one per prompt; label = the prompted class';
    }
    const question = pipeline.encodeText(config.prompts.mmuQuestion);
    const textScheduler: SegmentScheduler = { name: 'autoregressive', options: { sampler: { draw: 'greedy' } } };
    const maxTokens = config.defaults.text.maxTokens;
    const cachedRuns: GenerationResult[] = [];
    const recomputeRuns: GenerationResult[] = [];
    let index = 0;
    const describe = (target: DecodingEngine, into: GenerationResult[], advance: boolean) => async (): Promise<void> => {
      const request = describeRequest(textCodes[index] as Int32Array, question, vocabulary, textScheduler, maxTokens);
      into.push(await target.generate(request, { seed: 0 }));
      if (advance) index += 1;
    };
    // One untimed answer on each engine first (session warm-up), then every input through both, interleaved.
    if (textCodes.length > 0) {
      const warmRequest = describeRequest(textCodes[0] as Int32Array, question, vocabulary, textScheduler, maxTokens);
      await engine.generate(warmRequest, { seed: 0 });
      await recomputeEngine.generate(warmRequest, { seed: 0 });
    }
    const [cachedWall, recomputeWall] = await measureInterleaved([
      { name: 'describe, KV cache', run: describe(engine, cachedRuns, false) },
      { name: 'describe, no KV cache', run: describe(recomputeEngine, recomputeRuns, true) },
    ], textCodes.length);
    for (const r of cachedRuns) recordRun(context, where, 'autoregressive (text)', r.stats);
    let identicalCount = 0;
    let firstDifference = -1;
    const textRow = (label: string, runs: readonly GenerationResult[], wall: TimingSummary | undefined): TextRow => {
      let hits = 0;
      let tokens = 0;
      const examples: string[] = [];
      runs.forEach((result, i) => {
        const answer = result.rows[0]?.segments[3];
        const end = answer?.end ?? 0;
        tokens += result.stats.phases[0]?.steps ?? 0;
        const text = pipeline.textToString(answer?.tokens.subarray(0, end) ?? []);
        if (answerClass(text, names) === textLabels[i]) hits += 1;
        if (examples.length < 4) examples.push(`"${text}" (label: ${names[textLabels[i] ?? -1] ?? '?'})`);
      });
      const wallTotal = sum(runs.map((r) => r.stats.wallMs));
      return {
        label, images: runs.length, tokens, wall: wall ?? summarize(runs.map((r) => r.stats.wallMs)), tokensPerSecond: tokens / (wallTotal / 1000),
        accuracy: hits / Math.max(1, runs.length), forwardPasses: sum(runs.map((r) => r.stats.forwardPasses)), examples,
      };
    };
    cachedRuns.forEach((result, i) => {
      const a = result.rows[0]?.segments[3]?.tokens;
      const b = recomputeRuns[i]?.rows[0]?.segments[3]?.tokens;
      const same = a !== undefined && b !== undefined && a.length === b.length && a.every((id, k) => id === b[k]);
      if (same) identicalCount += 1;
      else if (firstDifference < 0) firstDifference = i;
    });
    const text = {
      inputs,
      rows: [textRow('image -> text, AR with KV cache', cachedRuns, cachedWall), textRow('image -> text, AR without KV cache (full recompute per token)', recomputeRuns, recomputeWall)],
      identical: identicalCount === cachedRuns.length
        ? `yes (${identicalCount} of ${cachedRuns.length} answers token for token)`
        : `no (${identicalCount} of ${cachedRuns.length} identical; first difference at input ${firstDifference})`,
    };
    log(`quality: text rows: ${text.rows.map((r) => `${r.label}: ${r.tokensPerSecond.toFixed(0)} tokens/s, accuracy ${(r.accuracy * 100).toFixed(0)}%`).join('; ')}; identical ${text.identical}`);

    // maskgit T=16 against AR, at the model's default guidance and the default (cosine) schedule.
    const ar = rows.find((row) => row.family === 'autoregressive');
    const maskgit = rows.find((row) => row.family === 'maskgit' && row.options.steps === 16 && row.options.schedule === 'cosine' &&
      row.options.guidance === config.defaults.image.guidance);
    const comparison = ar !== undefined && maskgit !== undefined
      ? { arAccuracy: ar.accuracy, maskgitLabel: maskgit.label, maskgitAccuracy: maskgit.accuracy, differencePoints: (maskgit.accuracy - ar.accuracy) * 100 }
      : undefined;
    if (context.quick) notes.push(`Quick mode: ${perClass} image(s) per class — accuracy and FID are smoke values, not measurements.`);
    notes.push(`FID here is the Fréchet distance in the evaluation classifier's ${classifier.reference.dimension}-d feature space against the real test-set statistics ` +
      `(${classifier.reference.count} images), from ${imagesPerSetting} generated images per setting: comparable between rows of this table only` +
      (imagesPerSetting <= classifier.reference.dimension ? ` (fewer images than feature dimensions: the covariance is rank-deficient and the distance biased upwards)` : '') + '.');
    return {
      status: 'measured', modelDir: context.modelDir,
      model: {
        name: config.name, layers: config.transformer.numLayers, hidden: config.transformer.hiddenSize, heads: config.transformer.numHeads,
        imageTokens: vocabulary.imageTokenCount, codebook: config.vocabulary.imageCodebookSize, vocabSize: config.vocabulary.vocabSize,
        promptTokens: config.prompts.t2iPromptLength + 1,
      },
      plugins, sweepFile, imagesPerClass: perClass, sizing: sizingNote,
      rows, text, ...(comparison ? { comparison } : {}), notes,
    };
  } finally {
    await transformer.dispose();
    await model.dispose();
  }
}
