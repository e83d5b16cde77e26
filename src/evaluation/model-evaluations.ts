import type { RunOptions, OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import { answerClass } from './answer-class.ts';
import { editKind, editSucceeded, mirrorSymmetry } from './edit-criteria.ts';
import { referenceEdit } from './reference-edits.ts';
import type { EvalSet } from './eval-set.ts';
import type { EvaluationClassifier } from './evaluation-classifier.ts';
import { featureStatistics, frechetDistance } from './frechet-distance.ts';

/** The metrics the model card reports; each comes from one engine run with fixed seeds. */
export interface TextToImageReport {
  readonly task: 'text-to-image';
  readonly scheduler: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly images: number;
  readonly accuracy: number;
  readonly perClass: readonly number[];
  readonly frechetDistance: number;
  readonly forwardPassesPerImage: number;
  readonly wallMsPerImage: number;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** "a sneaker", "an ankle boot": the plain class prompt the model was trained with. */
export function classPrompt(name: string): string {
  return `${article(name)} ${name}`;
}

export async function evaluateTextToImage(
  pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, perClass: number, options: RunOptions,
): Promise<TextToImageReport> {
  const names = pipeline.config.prompts.classNames;
  const labels: number[] = [];
  const prompts: string[] = [];
  names.forEach((name, index) => {
    for (let i = 0; i < perClass; i++) { prompts.push(classPrompt(name)); labels.push(index); }
  });
  const started = performance.now();
  const run = await pipeline.textToImage(prompts, options);
  const wallMs = performance.now() - started;
  const judged = await classifier.classify(run.images);
  const hits = new Array<number>(names.length).fill(0);
  labels.forEach((label, index) => { if (judged.labels[index] === label) hits[label] = (hits[label] as number) + 1; });
  const forwards = run.results.reduce((sum, result) => sum + result.stats.forwardPasses, 0);
  const scheduler = pipeline.schedulerFor('image', options.scheduler);
  return {
    task: 'text-to-image', scheduler: scheduler.name, options: scheduler.options, images: prompts.length,
    accuracy: hits.reduce((a, b) => a + b, 0) / prompts.length,
    perClass: hits.map((hit) => hit / perClass),
    frechetDistance: await frechetDistance(featureStatistics(judged.features, judged.dimension), classifier.reference),
    // Batched rows share forwards: per image = forwards × rows / images is the same as forwards / batches.
    forwardPassesPerImage: forwards / run.results.length,
    wallMsPerImage: wallMs / prompts.length,
  };
}

export interface DescribeReport {
  readonly task: 'describe';
  readonly scheduler: string;
  readonly images: number;
  readonly accuracy: number;
  readonly examples: readonly string[];
  readonly tokensPerSecond: number;
}

export async function evaluateDescribe(pipeline: OmnidecodePipeline, evalSet: EvalSet, count: number, options: RunOptions): Promise<DescribeReport> {
  const images = evalSet.images.slice(0, count);
  const started = performance.now();
  const run = await pipeline.describe(images, options);
  const seconds = (performance.now() - started) / 1000;
  let hits = 0;
  let tokens = 0;
  run.texts.forEach((text, index) => {
    if (answerClass(text, pipeline.config.prompts.classNames) === evalSet.labels[index]) hits += 1;
  });
  for (const result of run.results) for (const row of result.rows) tokens += (row.segments[3]?.end ?? 0) + 1;
  return {
    task: 'describe', scheduler: pipeline.schedulerFor('text', options.scheduler).name, images: images.length,
    accuracy: hits / images.length, examples: run.texts.slice(0, 5), tokensPerSecond: tokens / seconds,
  };
}

export interface EditReport {
  readonly task: 'edit';
  readonly scheduler: string;
  readonly images: number;
  readonly instructions: readonly EditInstructionReport[];
}

export interface EditInstructionReport {
  readonly instruction: string;
  readonly success: number;
  readonly classKept: number;
  /** Class kept by the exact training edit of each source: the classifier's ceiling for this instruction. */
  readonly referenceClassKept: number;
  /** Flip only: success over sources whose mirror-symmetry is below ASYMMETRIC_BELOW, and how many. */
  readonly asymmetricSuccess?: number;
  readonly asymmetricSources?: number;
}

/** Sources less mirror-symmetric than this count as ones where a flip is visible. */
export const ASYMMETRIC_BELOW = 0.9;

/** Edits held-out images [offset, offset+count) with every trained instruction. */
export async function evaluateEdits(
  pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, evalSet: EvalSet, offset: number, count: number, options: RunOptions,
): Promise<EditReport> {
  const sources = evalSet.images.slice(offset, offset + count);
  const sourceClasses = (await classifier.classify(sources)).labels;
  const instructions: EditInstructionReport[] = [];
  const asymmetric = sources.map((source) => mirrorSymmetry(source) < ASYMMETRIC_BELOW);
  for (const instruction of pipeline.config.prompts.editInstructions) {
    const kind = editKind(instruction);
    if (kind === null) continue;
    const run = await pipeline.edit(sources, instruction, options);
    const judged = await classifier.classify(run.images);
    const reference = await classifier.classify(sources.map((source) => referenceEdit(kind, source)));
    const referenceKept = reference.labels.filter((label, index) => label === sourceClasses[index]).length;
    let success = 0;
    let kept = 0;
    let asymmetricSuccess = 0;
    run.images.forEach((image: GrayImage, index) => {
      const ok = editSucceeded(kind, sources[index] as GrayImage, image);
      if (ok) success += 1;
      if (ok && asymmetric[index]) asymmetricSuccess += 1;
      if (judged.labels[index] === sourceClasses[index]) kept += 1;
    });
    const asymmetricSources = asymmetric.filter(Boolean).length;
    instructions.push({
      instruction, success: success / sources.length, classKept: kept / sources.length, referenceClassKept: referenceKept / sources.length,
      ...(kind === 'flip' ? { asymmetricSuccess: asymmetricSources === 0 ? 0 : asymmetricSuccess / asymmetricSources, asymmetricSources } : {}),
    });
  }
  return { task: 'edit', scheduler: pipeline.schedulerFor('image', options.scheduler).name, images: sources.length, instructions };
}

export interface ReconstructionReport {
  readonly task: 'vq';
  readonly images: number;
  readonly originalAccuracy: number;
  readonly reconstructionAccuracy: number;
}

export async function evaluateReconstruction(pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, evalSet: EvalSet, count: number): Promise<ReconstructionReport> {
  const images = evalSet.images.slice(0, count);
  const codes = await pipeline.imageTokenizer.encode(images);
  const rebuilt = await pipeline.imageTokenizer.decode(codes);
  const accuracy = async (set: readonly GrayImage[]): Promise<number> => {
    const { labels } = await classifier.classify(set);
    return labels.reduce((hits, label, index) => hits + (label === evalSet.labels[index] ? 1 : 0), 0) / set.length;
  };
  return { task: 'vq', images: images.length, originalAccuracy: await accuracy(images), reconstructionAccuracy: await accuracy(rebuilt) };
}
