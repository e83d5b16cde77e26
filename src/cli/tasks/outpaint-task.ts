import type { OutpaintTask } from '../../core/config/task-config.ts';
import { readPng, type GrayImage } from '../../tokenizers/png-image.ts';
import { checkOutputPath, writePng } from '../output-file.ts';
import type { TaskContext } from './task-context.ts';

/** Extends the image past the given sides within the model's grid; the kept codes are the source's, shifted. */
export async function runOutpaint(task: OutpaintTask, context: TaskContext): Promise<void> {
  const { settings, force, scale, signal } = context;
  const outPath = checkOutputPath(task.output, force);
  const image = await readPng(task.image);
  const run = await settings.pipeline.outpaint(image, { left: task.left, right: task.right, top: task.top, bottom: task.bottom }, task.prompt, {
    unit: task.unit, seed: settings.seed, signal, scheduler: settings.scheduler,
  });
  await writePng(outPath, run.images[0] as GrayImage, scale, force, signal);
  const { left, right, top, bottom } = run.band;
  const generated = run.grid.reduce((sum, value) => sum + value, 0);
  context.log(`wrote ${outPath} (band in tokens: left ${left}, right ${right}, top ${top}, bottom ${bottom}; ${generated} of ${run.grid.length} tokens generated)`);
}
