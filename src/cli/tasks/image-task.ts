import type { EditTask, InpaintTask, OutpaintTask } from '../../core/config/task-config.ts';
import { runPipelineTask } from '../../pipeline/pipeline-task.ts';
import type { GrayImage } from '../../tokenizers/png-image.ts';
import { checkOutputPath, writePng } from '../output-file.ts';
import type { TaskContext } from './task-context.ts';

/** Edit, inpaint and outpaint: one source image in, one PNG out (checked writable before decoding). */
export async function runImageTask(task: EditTask | InpaintTask | OutpaintTask, context: TaskContext): Promise<void> {
  const { settings, force, scale, signal } = context;
  const outPath = checkOutputPath(task.output, force);
  const result = await runPipelineTask(settings.pipeline, task, { seed: settings.seed, signal, scheduler: settings.scheduler }, settings.read);
  if (result.type === 'describe' || result.type === 'chat') return; // unreachable: the task is an image task
  await writePng(outPath, result.run.images[0] as GrayImage, scale, force, signal);
  context.log(`wrote ${outPath}${details(result)}`);
}

function details(result: Awaited<ReturnType<typeof runPipelineTask>>): string {
  if (result.type === 'inpaint') return ` (${count(result.run.grid)} of ${result.run.grid.length} tokens regenerated)`;
  if (result.type === 'outpaint') {
    const { left, right, top, bottom } = result.run.band;
    return ` (band in tokens: left ${left}, right ${right}, top ${top}, bottom ${bottom}; ${count(result.run.grid)} of ${result.run.grid.length} tokens generated)`;
  }
  return '';
}

function count(grid: Uint8Array): number {
  return grid.reduce((sum, value) => sum + value, 0);
}
