import { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import { evaluateDrawThenSay, type DrawThenSayReport } from '../src/evaluation/interleaved-evaluations.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import type { BenchContext } from './bench-context.ts';

/**
 * Does mixing pay? "draw a sandal and tell me what it is" answered as one stream, the image decoded
 * by maskgit (the model's default image settings) against the same stream decoded all-AR (the image
 * in raster order too), same prompts and seeds: forwards and wall per answer, and how often the
 * caption agrees with the evaluation classifier on the drawn image.
 */
export interface InterleavedRow {
  readonly label: string;
  readonly imageScheduler: string;
  readonly imageOptions: Readonly<Record<string, unknown>>;
  readonly report: DrawThenSayReport;
}

export interface InterleavedBenchReport {
  readonly prompts: number;
  readonly rows: readonly InterleavedRow[];
  /** All-AR wall per answer over maskgit's, measured in this run. */
  readonly arOverMaskgitWall: number;
}

export async function runInterleaved(context: BenchContext): Promise<InterleavedBenchReport> {
  const pipeline = await OmnidecodePipeline.load({ model: context.modelDir, threads: context.threads });
  const classifier = await EvaluationClassifier.load(pipeline.folder);
  try {
    if (pipeline.config.prompts.chat === undefined) throw new Error(`${context.modelDir} has no chat layout (prompts.chat): nothing to measure`);
    const perClass = context.quick ? 1 : 5;
    const rows: InterleavedRow[] = [];
    for (const [label, name] of [['maskgit image + AR text', undefined], ['all AR (image in raster order)', 'autoregressive']] as const) {
      const image = pipeline.schedulerFor('image', name === undefined ? undefined : { name });
      const text = pipeline.schedulerFor('text');
      context.log(`interleaved: ${label}, ${perClass * pipeline.config.prompts.classNames.length} answers`);
      const report = await evaluateDrawThenSay(pipeline, classifier, perClass, { seed: 0, imageScheduler: image, textScheduler: text });
      rows.push({ label, imageScheduler: image.name, imageOptions: image.options, report });
    }
    const [mixed, allAr] = rows as [InterleavedRow, InterleavedRow];
    return { prompts: mixed.report.prompts, rows, arOverMaskgitWall: allAr.report.wallMsPerChat / mixed.report.wallMsPerChat };
  } finally {
    await classifier.dispose();
    await pipeline.dispose();
  }
}
