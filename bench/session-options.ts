/**
 * `npx tsx --conditions=omnidecode-source bench/session-options.ts [--rounds N] [--threads 1,2] [--model DIR] [--out FILE]`
 *
 * onnxruntime session options side by side on the embedded model, in ONE run: intra-op threads
 * (1, 2 by default) x spinning (on, off), every combination loaded at once and timed in interleaved
 * rounds (config A, B, C, D, A, B, ...) so the machine's load drifts over all of them alike, with a
 * pause before each run so no setting pays for another's spinning threads. Three
 * workloads: maskgit text -> image (12 steps, guidance 2, batch 1), AR text -> image (raster, 49
 * tokens, guidance 2), AR text (describe, up to the model's answer length), and for contrast AR
 * text on a bigger standard export (the peer section's model). Prints a Markdown
 * table with the 1-minute load average before and after, and writes the samples as JSON.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { DEFAULT_ALLOW_SPINNING } from '../src/backends/onnx/onnx-session.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/model-folder.ts';
import { currentLoad, machineInfo } from './machine-info.ts';
import { cachedHuggingFaceDecoder, syntheticVocabulary } from './synthetic-models.ts';
import { summarize, type TimingSummary } from './timing.ts';

interface Flags { rounds: number; threads: number[]; model: string; out: string | undefined }

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { rounds: 20, threads: [1, 2], model: DEFAULT_MODEL_DIR, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${argv[i]} needs a value`);
    switch (argv[i]) {
      case '--rounds': flags.rounds = Number(value); break;
      case '--threads': flags.threads = value.split(',').map(Number); break;
      case '--model': flags.model = resolve(value); break;
      case '--out': flags.out = resolve(value); break;
      default: throw new Error(`unknown flag ${argv[i]}`);
    }
    i += 1;
  }
  if (!Number.isInteger(flags.rounds) || flags.rounds < 1) throw new Error('--rounds needs an integer >= 1');
  if (flags.threads.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--threads needs integers >= 1, e.g. 1,2');
  return flags;
}

interface Setting { readonly threads: number; readonly spinning: boolean; readonly name: string }

const STANDARD_AR = 'AR text, standard export (41k vocabulary, hidden 256, 32 tokens)';

/** Idle time before each timed run, so threads still spinning after one setting's run do not slow the next setting's. */
const SETTLE_MS = 50;

/**
 * Interleaved rounds (A, B, C, D, A, ...) with a pause before each run: every setting meets the
 * same drift in machine load, and none pays for another's spinning tail.
 */
async function interleavedWithPauses(tasks: readonly { name: string; run: () => Promise<unknown> }[], rounds: number): Promise<TimingSummary[]> {
  const samples = tasks.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [index, task] of tasks.entries()) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const started = performance.now();
      await task.run();
      samples[index]?.push(performance.now() - started);
    }
  }
  return samples.map((list) => summarize(list));
}

const WORKLOADS = ['maskgit image (12 steps, guidance 2)', 'AR image (49 tokens, guidance 2)', 'AR text (describe)', STANDARD_AR] as const;
type Workload = typeof WORKLOADS[number];

/**
 * A bigger model for contrast: AR text on the peer section's standard export (vocabulary 41,209,
 * hidden 256, 4 layers; 16 prompt tokens, 32 new ones, greedy), through OnnxTransformer and the engine.
 */
async function standardExport(threads: number, allowSpinning: boolean): Promise<{ run: () => Promise<unknown>; dispose: () => Promise<void> }> {
  const vocabulary = syntheticVocabulary(32000, 8192, 16);
  const maxPositions = 16 + 32 + 8;
  const folder = cachedHuggingFaceDecoder(
    { vocabSize: vocabulary.vocabSize, hiddenSize: 256, numLayers: 4, numHeads: 4, maxPositions, seed: 'peer', maskStyle: 'standard-2d' },
    { bosTokenId: vocabulary.bosTokenId, eosTokenId: vocabulary.eosTokenId, padTokenId: vocabulary.special('<|pad|>') },
  );
  const model = await OnnxTransformer.load(folder.path, { maxPositions, intraOpThreads: threads, allowSpinning });
  const { engine } = createEngine({ model, vocabulary });
  const prompt = [vocabulary.bosTokenId, ...Array.from({ length: 15 }, (_, i) => 3 + ((i * 104729 + 11) % 31997))];
  const request: GenerationRequest = {
    segments: [
      { type: 'tokens', ids: prompt },
      { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 32, stop: { eos: false }, options: { sampler: { draw: 'greedy' } } },
    ],
  };
  return { run: () => engine.generate(request, { seed: 0 }), dispose: () => model.dispose() };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const machine = machineInfo();
  const settings: Setting[] = flags.threads.flatMap((threads) => [true, false].map((spinning) => ({
    threads, spinning, name: `threads ${threads}, spinning ${spinning ? 'on' : 'off'}`,
  })));
  const pipelines = await Promise.all(settings.map((s) => OmnidecodePipeline.load({ model: flags.model, threads: s.threads, allowSpinning: s.spinning })));
  const standard = await Promise.all(settings.map((s) => standardExport(s.threads, s.spinning)));
  try {
    const first = pipelines[0] as OmnidecodePipeline;
    const prompt = first.config.prompts.classNames[0] ?? '';
    const [image] = (await first.textToImage([prompt], { seed: 1 })).images;
    if (image === undefined) throw new Error('no image to describe');
    const run = (pipeline: OmnidecodePipeline, workload: Workload): (() => Promise<unknown>) => {
      switch (workload) {
        case STANDARD_AR:
          return (standard[pipelines.indexOf(pipeline)] as { run: () => Promise<unknown> }).run;
        case 'maskgit image (12 steps, guidance 2)':
          return () => pipeline.textToImage([prompt], { seed: 0, batchSize: 1, scheduler: { name: 'maskgit', options: { steps: 12, guidance: 2 } } });
        case 'AR image (49 tokens, guidance 2)':
          return () => pipeline.textToImage([prompt], { seed: 0, batchSize: 1, scheduler: { name: 'autoregressive', options: { guidance: 2 } } });
        case 'AR text (describe)':
          return () => pipeline.describe([image], { seed: 0, batchSize: 1 });
      }
    };
    // Warm-up: every session's first runs allocate.
    for (const pipeline of pipelines) for (const workload of WORKLOADS) await run(pipeline, workload)();
    const loadBefore = currentLoad();
    const started = performance.now();
    const tasks = WORKLOADS.flatMap((workload) => pipelines.map((pipeline, index) => ({
      name: `${workload} | ${(settings[index] as Setting).name}`, run: run(pipeline, workload),
    })));
    const summaries = await interleavedWithPauses(tasks, flags.rounds);
    const seconds = (performance.now() - started) / 1000;
    const loadAfter = currentLoad();

    const lines = [
      `Session options on the embedded model and a bigger standard export, ${flags.rounds} interleaved rounds in one run (${seconds.toFixed(0)} s), `
        + `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), onnxruntime-node ${machine.onnxruntime}, `
        + `1-minute load ${loadBefore} before, ${loadAfter} after. Defaults now: spinning ${DEFAULT_ALLOW_SPINNING ? 'on' : 'off'} (backend), `
        + `the model folder's session ${JSON.stringify(first.config.session)}.`,
      '',
      `| workload | ${settings.map((s) => s.name).join(' | ')} |`,
      `|---|${settings.map(() => '---').join('|')}|`,
      ...WORKLOADS.map((workload, w) => {
        const row = settings.map((_, s) => summaries[w * settings.length + s] as TimingSummary);
        const best = Math.min(...row.map((t) => t.medianMs));
        return `| ${workload} | ${row.map((t) => `${t.medianMs === best ? '**' : ''}${t.medianMs.toFixed(1)} ms${t.medianMs === best ? '**' : ''} (${t.minMs.toFixed(1)}–${t.maxMs.toFixed(1)})`).join(' | ')} |`;
      }),
      '',
      'Median wall time per request (min–max over the rounds); bold: the fastest setting of the row.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (flags.out !== undefined) {
      mkdirSync(dirname(flags.out), { recursive: true });
      writeFileSync(flags.out, `${JSON.stringify({ machine, rounds: flags.rounds, seconds, loadBefore, loadAfter, settings,
        results: tasks.map((task, i) => ({ name: task.name, ...summaries[i] })) }, null, 2)}\n`);
    }
  } finally {
    for (const pipeline of pipelines) await pipeline.dispose();
    for (const model of standard) await model.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
