/**
 * `npm run bench [-- --quick] [-- --only <section>[,<section>]] [-- --model <dir>] [-- --out <dir>] [-- --report-only]`
 *
 * What do we gain and lose with diffusion against AR, at which settings, and how does it scale?
 * Sections: quality (embedded model), scaling (Show-o size, synthetic), peer (transformers.js),
 * engine-overhead, interleaved (chat answers: maskgit image vs all-AR). Writes results.json, results.md, report.html and quality-chart.{svg,png}: a full
 * run to bench/results/, --quick to bench/results/quick/, --only to bench/results/partial/.
 * --report-only redraws everything but results.json from that folder's results.json.
 */
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/model-folder.ts';
import { timeSection, type BenchContext, type SectionTiming } from './bench-context.ts';
import { runEngineOverhead } from './engine-overhead.ts';
import { runInterleaved } from './interleaved-chat.ts';
import { machineInfo } from './machine-info.ts';
import { runPeer } from './peer-transformers-js.ts';
import { runQuality } from './quality-vs-speed.ts';
import { runScaling } from './scaling.ts';
import { evaluateTargets, SECTIONS, type BenchResults, type SectionName } from './targets.ts';
import { writeReport } from './write-report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Flags {
  readonly quick: boolean;
  readonly only: readonly SectionName[] | undefined;
  readonly model: string;
  readonly out: string | undefined;
  readonly threads: number | undefined;
  readonly perClass: number | undefined;
  readonly reportOnly: boolean;
}

const USAGE = `usage: npm run bench -- [--quick] [--only ${SECTIONS.join('|')}[,...]] [--model <dir>] [--out <dir>] [--threads <n>] [--per-class <n>] [--report-only]
  --quick    smallest settings (1 image per class, tiny synthetic models): under a minute
  --only     run only these sections (repeatable or comma-separated)
  --model    model folder for the quality section (default: models/default)
  --out      where to write results.json, results.md, report.html, quality-chart.{svg,png}
  --threads  onnxruntime intra-op threads for every session (default: the machine's cores)
  --per-class  quality: images per class (default: sized to the section's time budget, 5..10)
  --report-only  run nothing: redraw results.md, report.html and the chart from the folder's results.json`;

function parseFlags(argv: readonly string[]): Flags {
  let quick = false;
  const only: SectionName[] = [];
  let model = DEFAULT_MODEL_DIR;
  let out: string | undefined;
  let threads: number | undefined;
  let perClass: number | undefined;
  let reportOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '--quick': quick = true; break;
      case '--report-only': reportOnly = true; break;
      case '--only':
        for (const name of value().split(',')) {
          if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section "${name}"; sections: ${SECTIONS.join(', ')}`);
          only.push(name as SectionName);
        }
        break;
      case '--model': model = resolve(value()); break;
      case '--out': out = resolve(value()); break;
      case '--threads': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new Error('--threads needs an integer >= 1');
        threads = n;
        break;
      }
      case '--per-class': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new Error('--per-class needs an integer >= 1');
        perClass = n;
        break;
      }
      case '--help': case '-h': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown flag "${flag}"\n${USAGE}`);
    }
  }
  return { quick, only: only.length > 0 ? only : undefined, model, out, threads, perClass, reportOnly };
}

/** Redraws the report from a results.json already on disk (a committed full run, say). */
async function reportOnly(outDir: string): Promise<void> {
  const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as BenchResults;
  const report = await writeReport(results, outDir);
  for (const warning of report.warnings) process.stderr.write(`[bench] warning: ${warning}\n`);
  process.stderr.write(`[bench] redrew ${relative(process.cwd(), outDir) || '.'}/{${report.files.join(',')}} from results.json\n`);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const sections = flags.only ?? [...SECTIONS];
  const outDir = flags.out ?? join(ROOT, 'bench', 'results', ...(flags.quick ? ['quick'] : flags.only ? ['partial'] : []));
  if (flags.reportOnly) return reportOnly(outDir);
  const machine = machineInfo();
  const started = performance.now();
  const log = (message: string): void => {
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  };
  const context: BenchContext = {
    quick: flags.quick, modelDir: flags.model, root: ROOT, threads: flags.threads ?? machine.cores, log, engineRuns: [],
    ...(flags.perClass === undefined ? {} : { perClass: flags.perClass }),
  };
  log(`${flags.quick ? 'quick' : 'full'} run of ${sections.join(', ')}: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, ` +
    `onnxruntime ${machine.onnxruntime}, load ${machine.loadAverageAtStart}`);

  const sectionTimings: Partial<Record<SectionName, SectionTiming>> = {};
  const errors: { section: SectionName; message: string }[] = [];
  const partial: { -readonly [K in keyof BenchResults]?: BenchResults[K] } = {};
  for (const section of sections) {
    log(`section ${section}`);
    try {
      switch (section) {
        case 'quality': { const r = await timeSection(() => runQuality(context)); partial.quality = r.value; sectionTimings[section] = r.timing; break; }
        case 'scaling': { const r = await timeSection(() => runScaling(context)); partial.scaling = r.value; sectionTimings[section] = r.timing; break; }
        case 'peer': { const r = await timeSection(() => runPeer(context)); partial.peer = r.value; sectionTimings[section] = r.timing; break; }
        case 'engine-overhead': { const r = await timeSection(() => runEngineOverhead(context)); partial.engineOverhead = r.value; sectionTimings[section] = r.timing; break; }
        case 'interleaved': { const r = await timeSection(() => runInterleaved(context)); partial.interleaved = r.value; sectionTimings[section] = r.timing; break; }
      }
    } catch (error) {
      const message = error instanceof Error ? `${error.message}${error.stack ? `\n${error.stack}` : ''}` : String(error);
      log(`section ${section} failed: ${message}`);
      errors.push({ section, message: error instanceof Error ? error.message : String(error) });
    }
  }

  const base: Omit<BenchResults, 'targets'> = {
    machine, mode: flags.quick ? 'quick' : 'full', sections, sectionTimings,
    totalSeconds: (performance.now() - started) / 1000, errors,
    ...(partial.quality ? { quality: partial.quality } : {}),
    ...(partial.scaling ? { scaling: partial.scaling } : {}),
    ...(partial.peer ? { peer: partial.peer } : {}),
    ...(partial.engineOverhead ? { engineOverhead: partial.engineOverhead } : {}),
    ...(partial.interleaved ? { interleaved: partial.interleaved } : {}),
  };
  const results: BenchResults = { ...base, targets: evaluateTargets(base) };

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const report = await writeReport(results, outDir);
  for (const warning of report.warnings) log(`warning: ${warning}`);
  log(`wrote ${relative(process.cwd(), outDir) || '.'}/{results.json,${report.files.join(',')}} in ${results.totalSeconds.toFixed(1)} s`);
  for (const target of results.targets) log(`target ${target.status.toUpperCase()}: ${target.target} — ${target.measured}${target.why ? ` (${target.why})` : ''}`);
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
