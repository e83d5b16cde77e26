import type { TextToImageTask } from '../../core/config/task-config.ts';
import { runPipelineTask } from '../../pipeline/pipeline-task.ts';
import { imageGrid, type GrayImage } from '../../tokenizers/png-image.ts';
import { checkDistinctOutputs, checkGridOutput, checkImageCount, checkOutputPath, writePng } from '../output-file.ts';
import { progressFor } from '../progress.ts';
import { TraceRecorder } from '../trace-image.ts';
import type { TaskContext } from './task-context.ts';

/** Text -> image: `count` images as a grid PNG, optionally the denoising trace. Every output is checked before decoding. */
export async function runTextToImage(task: TextToImageTask, context: TaskContext): Promise<void> {
  const { settings, force, scale, signal } = context;
  const { pipeline } = settings;
  const count = checkImageCount(task.count);
  const outPath = checkOutputPath(task.output, force);
  const side = pipeline.imageTokenizer.imageSize;
  checkGridOutput({ count, cellWidth: side, cellHeight: side, scale });
  const tracePath = task.trace === null ? null : checkOutputPath(task.trace, force, '--trace');
  if (tracePath !== null) {
    checkDistinctOutputs([{ flag: '-o/--output', path: outPath }, { flag: '--trace', path: tracePath }]);
    // One trace row per step: `steps` for parallel schedulers, at most one per token otherwise.
    const { steps } = pipeline.schedulerFor('image', settings.scheduler).options;
    const rows = typeof steps === 'number' ? steps : pipeline.imageTokenizer.codesPerImage;
    checkGridOutput({ count: 2 * rows, cellWidth: side, cellHeight: side, scale, columns: 2, gap: 1, flags: '--steps and --scale' });
  }
  const trace = tracePath === null ? null : new TraceRecorder(1, pipeline.vocabulary);
  const progress = progressFor(count);
  try {
    const result = await runPipelineTask(pipeline, { ...task, count }, {
      seed: settings.seed, signal, scheduler: settings.scheduler,
      ...(context.batchSize !== undefined ? { batchSize: context.batchSize } : {}),
      ...(trace ? { onStep: trace.onStep } : {}), ...(progress.onBatch ? { onBatch: progress.onBatch } : {}),
    });
    progress.stop();
    if (result.type !== 'text-to-image') return; // unreachable: the task is text-to-image
    const { run } = result;
    const image = run.images.length === 1 ? run.images[0] as GrayImage : imageGrid(run.images, Math.ceil(Math.sqrt(run.images.length)));
    if (trace && tracePath) await writePng(tracePath, await trace.render(pipeline.imageTokenizer), scale, force, signal);
    await writePng(outPath, image, scale, force, signal);
    const stats = run.results.reduce((sum, result) => ({ forwards: sum.forwards + result.stats.forwardPasses, ms: sum.ms + result.stats.wallMs }), { forwards: 0, ms: 0 });
    context.log(`wrote ${outPath} (${count} image(s), ${pipeline.schedulerFor('image', settings.scheduler).name}, ${stats.forwards} forward passes, ${stats.ms.toFixed(0)} ms)`);
    if (tracePath && trace) context.log(`wrote ${tracePath} (${trace.steps} steps)`);
  } finally {
    progress.stop();
  }
}
