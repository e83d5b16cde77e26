import type { InpaintTask } from '../../core/config/task-config.ts';
import { readPng, type GrayImage } from '../../tokenizers/png-image.ts';
import { checkOutputPath, writePng } from '../output-file.ts';
import type { TaskContext } from './task-context.ts';

/** Regenerates the white part of the mask under the prompt; the rest of the image's codes are kept. */
export async function runInpaint(task: InpaintTask, context: TaskContext): Promise<void> {
  const { settings, force, scale, signal } = context;
  const outPath = checkOutputPath(task.output, force);
  const [image, mask] = [await readPng(task.image), await readPng(task.mask)];
  const run = await settings.pipeline.inpaint(image, mask, task.prompt, { seed: settings.seed, signal, scheduler: settings.scheduler });
  await writePng(outPath, run.images[0] as GrayImage, scale, force, signal);
  const regenerated = run.grid.reduce((sum, value) => sum + value, 0);
  context.log(`wrote ${outPath} (${regenerated} of ${run.grid.length} tokens regenerated)`);
}
