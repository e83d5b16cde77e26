import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, InputError } from '../core/errors.ts';
import type { RunOptions } from '../pipeline/omnidecode-pipeline.ts';
import { imageGrid, readPng, type GrayImage } from '../tokenizers/png-image.ts';
import { checkOutputPath, writePng } from './output-file.ts';
import { loadRunSettings, type CommonFlags } from './run-settings.ts';
import { TraceRecorder } from './trace-image.ts';
import { registerEvaluateCommand } from './evaluate-command.ts';

type Collect = (value: string, previous: string[]) => string[];

interface OutputFlags { output?: string; force?: boolean; scale: string }

function commonOptions(command: Command, collect: Collect): Command {
  return command
    .option('--config <file>', 'JSON or YAML config (schedulers, seed, plugins, model, task)')
    .option('--model <dir>', 'model folder (default: the embedded model)')
    .option('--plugin <path>', 'load a plugin (repeatable)', collect, [])
    .option('--seed <seed>', 'fixes every random draw')
    .option('--scheduler <name>', 'scheduler for the generated segment (see `omnidecode schedulers`)')
    .option('--steps <n>', 'denoising steps (maskgit and friends)')
    .option('--guidance <w>', 'classifier-free guidance scale (0 = off)')
    .option('--schedule <name|expr>', 'mask schedule: cosine, linear, arccos, sigmoid, powK or an expression in t')
    .option('--set <key=value>', 'any other scheduler parameter (repeatable)', collect, [])
    .option('--threads <n>', 'onnxruntime intra-op threads');
}

function outputOptions(command: Command): Command {
  return command
    .option('-o, --output <file.png>', 'where to write the PNG')
    .option('--force', 'replace an existing output file')
    .addOption(new Option('--scale <k>', 'upscale the PNG k× (nearest) for viewing').default('4'));
}

/** Ctrl-C aborts decoding cleanly (caches freed, nothing half-written). */
function abortOnInterrupt(): AbortController {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  return controller;
}

function scaleOf(flags: OutputFlags): number {
  const scale = Number(flags.scale);
  if (!Number.isInteger(scale) || scale < 1 || scale > 32) throw new ConfigError('--scale', flags.scale, 'an integer in [1, 32]');
  return scale;
}

function progressFor(total: number): { options: Pick<RunOptions, 'onBatch'>; stop: () => void } {
  if (total <= 1) return { options: {}, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'decoding [{bar}] {value}/{total} images | {duration}s', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { options: { onBatch: (done) => bar.update(done) }, stop: () => bar.stop() };
}

export function registerTaskCommands(program: Command, collect: Collect): void {
  outputOptions(commonOptions(program.command('generate'), collect))
    .description('Text -> image with the embedded model (maskgit by default; --scheduler autoregressive for raster AR).')
    .argument('[prompt]', 'e.g. "a dark sneaker"; empty for unconditional generation')
    .option('-n, --count <n>', 'images to generate (written as a grid)')
    .option('--trace <file.png>', 'also write one row per step: the x0 guess and the committed canvas')
    .option('--batch-size <n>', 'images decoded together per forward', '16')
    .action(async (prompt: string | undefined, flags: CommonFlags & OutputFlags & { count?: string; trace?: string; batchSize: string }) => {
      const settings = await loadRunSettings(flags, 'image');
      const task = settings.config?.task?.type === 'text-to-image' ? settings.config.task : null;
      const output = flags.output ?? task?.output;
      if (output === undefined) throw new InputError('--output', undefined, 'a PNG path (-o out.png)');
      const force = flags.force === true;
      const outPath = checkOutputPath(output, force);
      const tracePath = (flags.trace ?? task?.trace) ? checkOutputPath((flags.trace ?? task?.trace) as string, force) : null;
      const count = flags.count !== undefined ? Number(flags.count) : task?.count ?? 1;
      if (!Number.isInteger(count) || count < 1) throw new ConfigError('--count', flags.count, 'an integer >= 1');
      const text = prompt ?? task?.prompt ?? '';
      const controller = abortOnInterrupt();
      const trace = tracePath ? new TraceRecorder(1, settings.pipeline.vocabulary) : null;
      const progress = progressFor(count);
      try {
        const run = await settings.pipeline.textToImage(new Array<string>(count).fill(text), {
          seed: settings.seed, signal: controller.signal, scheduler: settings.scheduler, batchSize: Number(flags.batchSize),
          ...(trace ? { onStep: trace.onStep } : {}), ...progress.options,
        });
        progress.stop();
        const image = run.images.length === 1 ? run.images[0] as GrayImage : imageGrid(run.images, Math.ceil(Math.sqrt(run.images.length)));
        if (trace && tracePath) await writePng(tracePath, await trace.render(settings.pipeline.imageTokenizer), scaleOf(flags), force, controller.signal);
        await writePng(outPath, image, scaleOf(flags), force, controller.signal);
        const stats = run.results.reduce((sum, result) => ({ forwards: sum.forwards + result.stats.forwardPasses, ms: sum.ms + result.stats.wallMs }), { forwards: 0, ms: 0 });
        process.stderr.write(`wrote ${outPath} (${count} image(s), ${settings.pipeline.schedulerFor('image', settings.scheduler).name}, ${stats.forwards} forward passes, ${stats.ms.toFixed(0)} ms)\n`);
        if (tracePath) process.stderr.write(`wrote ${tracePath} (${trace?.steps} steps)\n`);
      } finally {
        progress.stop();
        await settings.pipeline.dispose();
      }
    });

  commonOptions(program.command('describe'), collect)
    .description('Image -> text: what the model sees in a PNG.')
    .argument('<image>', 'a PNG (resized to the model size if needed)')
    .option('--question <text>', 'the question (default: the model\'s trained question)')
    .option('--max-tokens <n>', 'longest answer')
    .action(async (imagePath: string, flags: CommonFlags & { question?: string; maxTokens?: string }) => {
      const settings = await loadRunSettings(flags, 'text');
      const image = await readPng(imagePath);
      const controller = abortOnInterrupt();
      try {
        const maxTokens = flags.maxTokens === undefined ? undefined : Number(flags.maxTokens);
        if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) throw new ConfigError('--max-tokens', flags.maxTokens, 'an integer >= 1');
        const run = await settings.pipeline.describe([image], {
          seed: settings.seed, signal: controller.signal, scheduler: settings.scheduler,
          ...(flags.question ? { question: flags.question } : {}), ...(maxTokens ? { maxTokens } : {}),
        });
        process.stdout.write(`${run.texts[0] ?? ''}\n`);
      } finally {
        await settings.pipeline.dispose();
      }
    });

  outputOptions(commonOptions(program.command('edit'), collect))
    .description('Image + instruction -> image (e.g. "make it darker", "flip it").')
    .argument('<image>', 'the source PNG')
    .argument('<instruction>', 'e.g. "make it darker"')
    .action(async (imagePath: string, instruction: string, flags: CommonFlags & OutputFlags) => {
      const settings = await loadRunSettings(flags, 'image');
      if (flags.output === undefined) throw new InputError('--output', undefined, 'a PNG path (-o out.png)');
      const outPath = checkOutputPath(flags.output, flags.force === true);
      const image = await readPng(imagePath);
      const controller = abortOnInterrupt();
      try {
        const run = await settings.pipeline.edit([image], instruction, { seed: settings.seed, signal: controller.signal, scheduler: settings.scheduler });
        await writePng(outPath, run.images[0] as GrayImage, scaleOf(flags), flags.force === true, controller.signal);
        process.stderr.write(`wrote ${outPath}\n`);
      } finally {
        await settings.pipeline.dispose();
      }
    });

  outputOptions(commonOptions(program.command('inpaint'), collect))
    .description('Regenerate the white part of a mask under a prompt; the rest of the image is kept.')
    .argument('<image>', 'the source PNG')
    .argument('[prompt]', 'what the whole image should show, e.g. "a sandal"')
    .requiredOption('--mask <mask.png>', 'white (≥ 0.5) where to regenerate; resized to the token grid')
    .action(async (imagePath: string, prompt: string | undefined, flags: CommonFlags & OutputFlags & { mask: string }) => {
      const settings = await loadRunSettings(flags, 'image');
      if (flags.output === undefined) throw new InputError('--output', undefined, 'a PNG path (-o out.png)');
      const outPath = checkOutputPath(flags.output, flags.force === true);
      const [image, mask] = [await readPng(imagePath), await readPng(flags.mask)];
      const controller = abortOnInterrupt();
      try {
        const run = await settings.pipeline.inpaint(image, mask, prompt ?? '', { seed: settings.seed, signal: controller.signal, scheduler: settings.scheduler });
        await writePng(outPath, run.images[0] as GrayImage, scaleOf(flags), flags.force === true, controller.signal);
        const masked = run.grid.reduce((sum, value) => sum + value, 0);
        process.stderr.write(`wrote ${outPath} (${masked} of ${run.grid.length} tokens regenerated)\n`);
      } finally {
        await settings.pipeline.dispose();
      }
    });

  registerEvaluateCommand(program, collect);
}
