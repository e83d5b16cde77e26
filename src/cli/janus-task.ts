import { open } from 'node:fs/promises';
import type { OmnidecodeConfig } from '../core/config/omnidecode-config.ts';
import type { TaskConfig, TaskType } from '../core/config/task-config.ts';
import { ConfigError, InputError } from '../core/errors.ts';
import { JanusPipeline, JanusPrompts, MAX_JANUS_IMAGES } from '../pipeline/janus/janus-pipeline.ts';
import { imageGrid, readPng, type GrayImage } from '../tokenizers/png-image.ts';
import { checkGridOutput, checkImageCount, checkOutputPath, writePng } from './output-file.ts';
import { loadJanusRunSettings } from './janus-run-settings.ts';
import type { CommonFlags } from './run-settings.ts';

/** What runs a command's task on a Janus folder besides the flags. */
export interface JanusTaskContext {
  readonly force: boolean;
  readonly scale: number;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  readonly print: (line: string) => void;
}

/** The tasks a Janus folder runs: text -> image and image -> text (`complete` has its own command). */
const JANUS_TASKS: readonly TaskType[] = ['text-to-image', 'describe'];

/**
 * Runs a task command on a Janus-layout folder (`generate`, `describe`, or `run` with such a task):
 * the folder's own prompts, the chosen scheduler on the generated segment (autoregressive by default;
 * any other is allowed on this AR-trained model and reported like any run), outputs checked first.
 */
export async function runJanusTask(
  model: string, flags: CommonFlags, type: TaskType, build: (source: { readonly config: OmnidecodeConfig | null }) => TaskConfig, context: JanusTaskContext,
): Promise<void> {
  if (!JANUS_TASKS.includes(type)) {
    throw new ConfigError('task', type, `one of ${JANUS_TASKS.join(', ')} (or omnidecode complete)`,
      `${model} is a Janus-layout folder: it runs generate (text-to-image), describe and complete; ${type} needs an omnidecode folder with an image encoder`);
  }
  const settings = await loadJanusRunSettings(model, flags, type === 'text-to-image' ? 'image' : 'text');
  const task = build(settings);
  const run = { seed: settings.seed, signal: context.signal, scheduler: settings.scheduler.name, options: settings.scheduler.options };
  // Every check that needs no graph comes first: the flags, the output, then the prompt and its
  // length against the folder's positions (its config and tokenizer only); the graphs load last.
  if (task.type === 'text-to-image') {
    if (task.trace !== null) throw new InputError('--trace', task.trace, 'no --trace with a Janus folder', `--trace is not available for Janus folders (${model})`);
    const count = checkImageCount(task.count);
    if (count > MAX_JANUS_IMAGES) throw new InputError('-n/--count', count, `at most ${MAX_JANUS_IMAGES} images per run with a Janus folder`);
    const output = checkOutputPath(task.output, context.force);
    const prompts = await JanusPrompts.open(settings.pipeline);
    const plan = prompts.image(task.prompt, count, settings.scheduler.options.steps);
    const pipeline = await JanusPipeline.load(prompts);
    try {
      const side = await pipeline.imageSize();
      checkGridOutput({ count, cellWidth: side.width, cellHeight: side.height, scale: context.scale });
      const result = await pipeline.generatePlanned(plan, run);
      const images: GrayImage[] = result.images.map(({ width, height, rgb }) => ({ width, height, channels: 3, pixels: Float32Array.from(rgb, (level) => level / 255) }));
      const image = images.length === 1 ? images[0] as GrayImage : imageGrid(images, Math.ceil(Math.sqrt(images.length)));
      await writePng(output, image, context.scale, context.force, context.signal);
      context.log(`wrote ${output} (${count} image(s), ${settings.scheduler.name}, ${result.forwardPasses} forward passes, ${result.wallMs.toFixed(0)} ms)`);
    } finally {
      await pipeline.dispose();
    }
    return;
  }
  if (task.type !== 'describe') return; // unreachable: JANUS_TASKS
  const read = await readPng(task.image, { ...settings.read, channels: 3 });
  // A gray file is handed over as gray (its r = g = b), so the pipeline converts it and says so.
  const image: GrayImage = await isGrayPng(task.image) ? { width: read.width, height: read.height, pixels: read.pixels.filter((_, i) => i % 3 === 0) } : read;
  const prompts = await JanusPrompts.open(settings.pipeline);
  const plan = prompts.describe(image, task.question ?? undefined, task.maxTokens ?? undefined);
  const pipeline = await JanusPipeline.load(prompts);
  try {
    const answer = await pipeline.answer(plan, run);
    for (const notice of answer.notices) context.log(`omnidecode: ${task.image}: ${notice}`);
    context.print(answer.text);
  } finally {
    await pipeline.dispose();
  }
}

/** Whether a PNG (already read and checked by readPng, so its header is whole) stores gray levels: colour type 0 or 4. */
async function isGrayPng(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(26);
    await handle.read(header, 0, 26, 0);
    return header[25] === 0 || header[25] === 4;
  } finally {
    await handle.close();
  }
}
