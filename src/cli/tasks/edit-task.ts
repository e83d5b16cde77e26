import type { EditTask } from '../../core/config/task-config.ts';
import { readPng, type GrayImage } from '../../tokenizers/png-image.ts';
import { checkOutputPath, writePng } from '../output-file.ts';
import type { TaskContext } from './task-context.ts';

/** Image + instruction -> image. */
export async function runEdit(task: EditTask, context: TaskContext): Promise<void> {
  const { settings, force, scale, signal } = context;
  const outPath = checkOutputPath(task.output, force);
  const image = await readPng(task.image);
  const run = await settings.pipeline.edit([image], task.instruction, { seed: settings.seed, signal, scheduler: settings.scheduler });
  await writePng(outPath, run.images[0] as GrayImage, scale, force, signal);
  context.log(`wrote ${outPath}`);
}
