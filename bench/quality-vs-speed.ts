import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, createSchedulerContainer } from '../src/omnidecode-container.ts';
import type { DecodingEngine } from '../src/core/decoding-engine.ts';
import type { GenerationResult } from '../src/core/generation-result.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { loadPlugins } from '../src/node/plugin-loader.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { answerClass } from '../src/evaluation/answer-class.ts';
import { loadEvalSet, type EvalSet } from '../src/evaluation/eval-set.ts';
import { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import { featureStatistics, frechetDistance } from '../src/evaluation/frechet-distance.ts';
import { classPrompt } from '../src/evaluation/model-evaluations.ts';
import { describeRequest } from '../src/pipeline/describe-request.ts';
import { openModelFolder, type ModelFolder } from '../src/pipeline/model-folder.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import type { SegmentScheduler } from '../src/pipeline/scheduler-choice.ts';
import { textToImageRequest } from '../src/pipeline/text-to-image-request.ts';
import { recordRun, type BenchContext } from './bench-context.ts';
import { RecomputeTransformer } from './no-cache-baselines.ts';
import { measure, measureInterleaved, median, sum, summarize, type TimingSummary } from './timing.ts';

/**
 * Quality against speed on the embedded model: one row per image scheduler setting (AR raster with a
 * KV cache, the maskgit grid, every plugin scheduler), judged by the evaluation classifier (class
 * accuracy, Fréchet distance to the real test set's features), plus image -> text rows with and
 * without the KV cache.
 */

export interface QualitySetting {
  readonly label: string;
  readonly family: 'autoregressive' | 'maskgit' | 'plugin';
  readonly scheduler: SegmentScheduler;
  /** Where the scheduler comes from: built-in or the plugin's path. */
  readonly source: string;
}

export interface QualityRow {
  readonly label: string;
  readonly family: QualitySetting['family'];
  readonly scheduler: string;
  /** The options as the scheduler parsed them (defaults filled in). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly source: string;
  /** Batch 1: forwards to generate one image (CFG rows share each forward). */
  readonly forwardPassesPerImage: number;
  /** Batch 1: wall time per image over every image of the row (tinybench samples). */
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

interface QualityPlan {
  readonly steps: readonly number[];
  readonly schedules: readonly string[];
  readonly guidance: readonly number[];
  /** Images per class: the most, and the fewest the budget may cut to. */
  readonly maxPerClass: number;
  readonly minPerClass: number;
  /** Wall time aimed at for all image settings together (sizes the images per class). */
  readonly budgetMs: number;
  readonly batchSize: number;
  readonly textImages: number;
  readonly plugins: boolean;
}

const FULL_PLAN: QualityPlan = {
  steps: [4, 8, 12, 16, 32], schedules: ['cosine', 'linear', 'arccos'], guidance: [0, 2, 5],
  maxPerClass: 10, minPerClass: 5, budgetMs: 360_000, batchSize: 20, textImages: 100, plugins: true,
};

const QUICK_PLAN: QualityPlan = {
  steps: [4, 16], schedules: ['cosine'], guidance: [0, 2], maxPerClass: 1, minPerClass: 1, budgetMs: 0, batchSize: 20, textImages: 10, plugins: true,
};

function pluginFolders(root: string): string[] {
  const dir = join(root, 'plugins');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory()).sort().map((name) => `./plugins/${name}`);
}

function settingsFor(plan: QualityPlan, pipeline: OmnidecodePipeline): QualitySetting[] {
  const { defaults } = pipeline.config;
  const settings: QualitySetting[] = [{
    label: `autoregressive w=${defaults.image.guidance}`, family: 'autoregressive', source: 'built-in',
    scheduler: { name: 'autoregressive', options: { guidance: defaults.image.guidance } },
  }];
  for (const steps of plan.steps) {
    for (const schedule of plan.schedules) {
      for (const guidance of plan.guidance) {
        settings.push({
          label: `maskgit T=${steps} ${schedule} w=${guidance}`, family: 'maskgit', source: 'built-in',
          scheduler: { name: 'maskgit', options: { steps, schedule, guidance } },
        });
      }
    }
  }
  if (plan.plugins) {
    for (const definition of pipeline.schedulers.list()) {
      if (definition.source === 'built-in' || !definition.modalities.includes('image')) continue;
      const takesSteps = Object.keys(definition.parameters.shape).includes('steps');
      settings.push({
        label: takesSteps ? `${definition.name} T=12 (plugin defaults)` : `${definition.name} (plugin defaults)`, family: 'plugin',
        source: definition.source ?? 'plugin', scheduler: { name: definition.name, options: takesSteps ? { steps: 12 } : {} },
      });
    }
  }
  return settings;
}

/**
 * Images per class that fit the plan's budget: one probe generation each of maskgit T=16 without and
 * with guidance and of AR gives the cost of a forward; every setting is estimated from its forwards.
 */
async function imagesPerClass(
  plan: QualityPlan, settings: readonly QualitySetting[], engine: DecodingEngine,
  requestFor: (setting: QualitySetting, label: number) => GenerationRequest, log: (message: string) => void,
): Promise<{ perClass: number; note: string }> {
  if (plan.budgetMs <= 0 || plan.minPerClass === plan.maxPerClass) return { perClass: plan.maxPerClass, note: `${plan.maxPerClass} per class (fixed)` };
  // One warm-up, then the median of three timed generations (a single one is at the mercy of the machine's load).
  const time = async (setting: QualitySetting): Promise<number> => {
    await engine.generate(requestFor(setting, 0), { seed: 0, stream: 'probe' });
    const samples: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const started = performance.now();
      await engine.generate(requestFor(setting, i), { seed: 0, stream: 'probe' });
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  const probe = (name: string, options: Record<string, unknown>): QualitySetting => ({ label: 'probe', family: 'maskgit', source: 'built-in', scheduler: { name, options } });
  const plain = (await time(probe('maskgit', { steps: 16, guidance: 0 }))) / 17;
  const guided = (await time(probe('maskgit', { steps: 16, guidance: 2 }))) / 17;
  const arSetting = settings.find((s) => s.family === 'autoregressive');
  const ar = arSetting === undefined ? 0 : await time(arSetting);
  const perImage = settings.map((setting) => {
    if (setting.family === 'autoregressive') return ar;
    const options = setting.scheduler.options;
    const steps = typeof options.steps === 'number' ? options.steps : 12;
    const guidance = typeof options.guidance === 'number' ? options.guidance : 0;
    return (steps + 1) * (guidance > 0 ? guided : plain);
  });
  const perClassCost = 10 * sum(perImage);
  const chosen = Math.max(plan.minPerClass, Math.min(plan.maxPerClass, Math.floor(plan.budgetMs / perClassCost)));
  const note = `${chosen} per class: a probe put one image of every setting at ${(perClassCost / 10000).toFixed(1)} s ` +
    `(maskgit forward ${plain.toFixed(1)} ms, ${guided.toFixed(1)} ms with guidance; AR image ${ar.toFixed(0)} ms), ` +
    `against a ${(plan.budgetMs / 1000).toFixed(0)} s budget for the image settings (${plan.minPerClass}..${plan.maxPerClass} per class)`;
  log(`quality: ${note}`);
  return { perClass: chosen, note };
}

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
  const plan = context.quick ? QUICK_PLAN : FULL_PLAN;
  const { log } = context;
  const notes: string[] = [];
  if (!existsSync(join(context.modelDir, 'config.json'))) {
    const message = `model not found: ${join(context.modelDir, 'config.json')} does not exist (the embedded model is not trained/exported yet); ` +
      'the quality section runs once it is there (or pass --model <folder>).';
    log(`quality: ${message}`);
    return { status: 'model not found', modelDir: context.modelDir, message, notes };
  }

  const { container } = createSchedulerContainer();
  const pluginResults = plan.plugins ? await loadPlugins(pluginFolders(context.root), container, context.root) : [];
  const plugins = pluginResults.map((result) => result.ok
    ? { plugin: result.plugin, ok: true, schedulers: result.schedulers }
    : { plugin: result.plugin, ok: false, schedulers: [], error: result.error.message });
  for (const failed of plugins.filter((p) => !p.ok)) notes.push(`plugin ${failed.plugin} failed to load: ${failed.error ?? ''}`);

  const folder = await openModelFolder(context.modelDir);
  const pipeline = await OmnidecodePipeline.load({ model: context.modelDir, container, threads: context.threads });
  const classifier = await EvaluationClassifier.load(folder);
  const { config, vocabulary } = pipeline;
  const transformer = await OnnxTransformer.load(folder.file(config.transformer.file), {
    intraOpThreads: context.threads, layers: config.transformer.numLayers, vocabSize: config.vocabulary.vocabSize,
    maxPositions: config.transformer.maxPositions, numHeads: config.transformer.numHeads, headDim: config.transformer.headDim,
    requireOmniAttention: true,
  });
  const decodeText = (ids: ArrayLike<number>): string => pipeline.textToString(ids);
  const engine = createEngine({ model: transformer, vocabulary, container, decodeText }).engine;
  const recomputeEngine = createEngine({ model: new RecomputeTransformer(transformer), vocabulary, container, decodeText }).engine;
  const where = 'embedded model';

  try {
    const names = config.prompts.classNames;
    const words = names.map((name) => pipeline.encodeText(classPrompt(name)));
    const requestFor = (setting: QualitySetting, label: number): GenerationRequest =>
      textToImageRequest(words[label] as number[], vocabulary, pipeline.promptLayout, setting.scheduler);

    const settings = settingsFor(plan, pipeline);
    const { perClass, note: sizingNote } = context.perClass !== undefined
      ? { perClass: context.perClass, note: `${context.perClass} per class (--per-class)` }
      : await imagesPerClass(plan, settings, engine, requestFor, log);
    const labels = names.flatMap((_, label) => new Array<number>(perClass).fill(label));
    log(`quality: ${settings.length} image settings x ${labels.length} images (${perClass} per class), each generated and timed at batch 1`);
    const rows: QualityRow[] = [];
    let defaultCodes: { codes: Int32Array[]; labels: number[] } | undefined;
    for (const setting of settings) {
      const started = performance.now();
      const parsed = pipeline.schedulers.parseOptions(setting.scheduler.name, setting.scheduler.options, setting.label, 'image');
      // Every image generated alone (batch 1) and timed by tinybench: the same images give the speed and the quality.
      const runs: GenerationResult[] = [];
      const codes: Int32Array[] = [];
      let next = -1;
      const wall = await measure(setting.label, async () => {
        const label = next < 0 ? 0 : labels[next];
        if (label === undefined) throw new Error(`more timed runs than images (${next} of ${labels.length})`);
        const result = await engine.generate(requestFor(setting, label), { seed: 0, stream: `quality/${next}` });
        if (next >= 0) {
          runs.push(result);
          codes.push((result.rows[0]?.segments[1]?.tokens ?? new Int32Array(0)).map((id) => vocabulary.idToCode(id)));
          recordRun(context, where, setting.scheduler.name, result.stats);
        }
        next += 1;
      }, { iterations: labels.length, warmup: 1 });
      if (runs.length !== labels.length) throw new Error(`${setting.label}: ${runs.length} timed images, expected ${labels.length}`);
      const images = await pipeline.imageTokenizer.decode(codes);
      const judged = await classifier.classify(images);
      const hits = new Array<number>(names.length).fill(0);
      labels.forEach((label, index) => { if (judged.labels[index] === label) hits[label] = (hits[label] as number) + 1; });
      const fid = await frechetDistance(featureStatistics(judged.features, judged.dimension), classifier.reference);
      if (setting.scheduler.name === config.defaults.image.scheduler && parsed.steps === config.defaults.image.steps &&
          parsed.guidance === config.defaults.image.guidance && parsed.schedule === 'cosine') {
        defaultCodes = { codes, labels };
      }
      const modelTotal = sum(runs.map((r) => r.stats.modelMs));
      const wallTotal = sum(runs.map((r) => r.stats.wallMs));
      const row: QualityRow = {
        label: setting.label, family: setting.family, scheduler: setting.scheduler.name, options: parsed, source: setting.source,
        forwardPassesPerImage: median(runs.map((r) => r.stats.forwardPasses)), wall, engineOverhead: 1 - modelTotal / wallTotal,
        images: labels.length, accuracy: sum(hits) / labels.length, perClass: hits.map((hit) => hit / perClass), frechetDistance: fid,
      };
      rows.push(row);
      log(`quality: ${setting.label}: accuracy ${(row.accuracy * 100).toFixed(0)}%, FID ${fid.toFixed(1)}, ${row.forwardPassesPerImage} forwards, ` +
        `${wall.medianMs.toFixed(1)} ms/image (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }

    // Image -> text: held-out test images when the model ships them, else the model's own images.
    let inputs: string;
    let textCodes: Int32Array[];
    let textLabels: number[];
    const evalSet = findEvalSet(folder, context.root);
    if (evalSet !== undefined) {
      const count = Math.min(plan.textImages, evalSet.set.images.length);
      textCodes = await pipeline.imageTokenizer.encode(evalSet.set.images.slice(0, count));
      textLabels = Array.from(evalSet.set.labels.slice(0, count));
      inputs = `the first ${count} held-out test images of ${evalSet.where}, VQ-encoded; label = the test label`;
    } else {
      if (defaultCodes === undefined) {
        const setting: QualitySetting = { label: 'default', family: 'maskgit', source: 'built-in', scheduler: pipeline.schedulerFor('image') };
        const labels = names.flatMap((_, label) => new Array<number>(Math.max(1, Math.round(plan.textImages / names.length))).fill(label));
        const codes: Int32Array[] = [];
        for (let start = 0; start < labels.length; start += plan.batchSize) {
          const result = await engine.generate(labels.slice(start, start + plan.batchSize).map((label) => requestFor(setting, label)), { seed: 0, stream: `text-inputs/${start}` });
          for (const row of result.rows) codes.push((row.segments[1]?.tokens ?? new Int32Array(0)).map((id) => vocabulary.idToCode(id)));
        }
        defaultCodes = { codes, labels };
      }
      textCodes = defaultCodes.codes.slice(0, plan.textImages);
      textLabels = defaultCodes.labels.slice(0, plan.textImages);
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
    const maskgitLabel = `maskgit T=16 cosine w=${config.defaults.image.guidance}`;
    const maskgit = rows.find((row) => row.label === maskgitLabel);
    const comparison = ar !== undefined && maskgit !== undefined
      ? { arAccuracy: ar.accuracy, maskgitLabel, maskgitAccuracy: maskgit.accuracy, differencePoints: (maskgit.accuracy - ar.accuracy) * 100 }
      : undefined;
    if (context.quick) notes.push(`Quick mode: ${perClass} image(s) per class — accuracy and FID are smoke values, not measurements.`);
    notes.push(`FID here is the Fréchet distance in the evaluation classifier's ${classifier.reference.dimension}-d feature space against the real test-set statistics ` +
      `(${classifier.reference.count} images), from ${labels.length} generated images per setting: comparable between rows of this table only` +
      (labels.length <= classifier.reference.dimension ? ` (fewer images than feature dimensions: the covariance is rank-deficient and the distance biased upwards)` : '') + '.');
    return {
      status: 'measured', modelDir: context.modelDir,
      model: {
        name: config.name, layers: config.transformer.numLayers, hidden: config.transformer.hiddenSize, heads: config.transformer.numHeads,
        imageTokens: vocabulary.imageTokenCount, codebook: config.vocabulary.imageCodebookSize, vocabSize: config.vocabulary.vocabSize,
        promptTokens: config.prompts.t2iPromptLength + 1,
      },
      plugins, imagesPerClass: perClass, sizing: sizingNote,
      rows, text, ...(comparison ? { comparison } : {}), notes,
    };
  } finally {
    await transformer.dispose();
    await classifier.dispose();
    await pipeline.dispose();
  }
}
