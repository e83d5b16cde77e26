import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../src/omnidecode-container.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { textToImageRequest } from '../src/pipeline/text-to-image-request.ts';
import { classPrompt } from '../src/evaluation/model-evaluations.ts';
import { recordRun, type BenchContext, type EngineRunRecord } from './bench-context.ts';
import { showOSizeSetup } from './scaling.ts';
import { median, sum } from './timing.ts';

/**
 * Engine overhead: the share of a generation's wall time spent outside the model's forward
 * (1 − modelMs / wallMs, the engine's own stats): masks, feeds, finiteness checks, the scheduler and
 * its sampler, events. Aggregated per context and scheduler over every run the other sections
 * timed; run on its own (--only engine-overhead) it measures a small set itself.
 */

export interface OverheadRow {
  readonly context: string;
  readonly scheduler: string;
  readonly runs: number;
  readonly medianWallMs: number;
  /** 1 − Σ modelMs / Σ wallMs. */
  readonly overhead: number;
  /** Σ schedulerMs / Σ wallMs: the part of the overhead inside scheduler.step (sampling, selection). */
  readonly schedulerShare: number;
}

export interface OverheadReport {
  readonly rows: readonly OverheadRow[];
  /** Per context (embedded / Show-o size), the largest overhead of its cached (non-baseline) rows. */
  readonly worst: readonly { context: string; scheduler: string; overhead: number; kind: 'embedded model' | 'Show-o size' }[];
  readonly source: string;
}

export function isBaseline(context: string): boolean {
  return /no (kv |prefix )?cache/i.test(context);
}

/** A small measurement of its own, for `--only engine-overhead`. */
async function measureOwn(context: BenchContext): Promise<void> {
  const runs = context.quick ? 2 : 3;
  const showO = await showOSizeSetup(context.quick, context.threads);
  try {
    const { engine } = createEngine({ model: showO.model, vocabulary: showO.vocabulary });
    for (const [scheduler, options] of [['autoregressive', {}], ['maskgit', { steps: 16 }]] as const) {
      await engine.generate(showO.request(scheduler, options), { seed: 0, stream: 'warm-up' });
      for (let i = 0; i < runs; i++) recordRun(context, showO.name, scheduler, (await engine.generate(showO.request(scheduler, options), { seed: i })).stats);
    }
  } finally {
    await showO.model.dispose();
  }
  if (!existsSync(join(context.modelDir, 'config.json'))) return;
  const pipeline = await OmnidecodePipeline.load({ model: context.modelDir, threads: context.threads });
  try {
    const names = pipeline.config.prompts.classNames;
    for (const name of ['autoregressive', 'maskgit']) {
      const scheduler = pipeline.schedulerFor('image', { name });
      for (let i = 0; i <= runs; i++) {
        const words = pipeline.encodeText(classPrompt(names[i % names.length] as string));
        const result = await pipeline.engine.generate(textToImageRequest(words, pipeline.vocabulary, pipeline.promptLayout, scheduler), { seed: i });
        if (i > 0) recordRun(context, 'embedded model', name, result.stats);
      }
    }
  } finally {
    await pipeline.dispose();
  }
}

export async function runEngineOverhead(context: BenchContext): Promise<OverheadReport> {
  let source = 'every engine run timed by the sections above (their own engine stats)';
  if (context.engineRuns.length === 0) {
    source = 'its own small measurement (the other sections did not run)';
    await measureOwn(context);
  }
  const groups = new Map<string, EngineRunRecord[]>();
  for (const run of context.engineRuns) {
    const key = `${run.context}\u0000${run.scheduler}`;
    const list = groups.get(key) ?? [];
    list.push(run);
    groups.set(key, list);
  }
  const rows: OverheadRow[] = [...groups.values()].map((list) => {
    const wall = sum(list.map((r) => r.wallMs));
    return {
      context: list[0]?.context ?? '', scheduler: list[0]?.scheduler ?? '', runs: list.length,
      medianWallMs: median(list.map((r) => r.wallMs)),
      overhead: 1 - sum(list.map((r) => r.modelMs)) / wall, schedulerShare: sum(list.map((r) => r.schedulerMs)) / wall,
    };
  });
  const worst: OverheadReport['worst'][number][] = [];
  for (const kind of ['embedded model', 'Show-o size'] as const) {
    const candidates = rows.filter((row) => !isBaseline(row.context) &&
      (kind === 'embedded model' ? row.context === 'embedded model' : row.context.startsWith('synthetic')));
    const top = candidates.sort((a, b) => b.overhead - a.overhead)[0];
    if (top !== undefined) worst.push({ context: top.context, scheduler: top.scheduler, overhead: top.overhead, kind });
  }
  return { rows, worst, source };
}
