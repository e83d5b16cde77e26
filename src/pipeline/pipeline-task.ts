import type { SchedulerChoice } from '../core/config/omnidecode-config.ts';
import type { TaskConfig } from '../core/config/task-config.ts';
import type { Modality } from '../core/request.ts';
import type { ChatRun } from './chat-result.ts';
import { readPng as readPngFile, type PngReadOptions } from '../tokenizers/png-image.ts';
import type { OmnidecodePipeline } from './omnidecode-pipeline.ts';
import type { RunOptions } from './pipeline-options.ts';
import type { ImageRun, InpaintRun, OutpaintRun, TextRun } from './task-runs.ts';

/** A task's outputs, tagged with the task's type. */
export type TaskResult =
  | { readonly type: 'text-to-image'; readonly run: ImageRun }
  | { readonly type: 'describe'; readonly run: TextRun }
  | { readonly type: 'edit'; readonly run: ImageRun }
  | { readonly type: 'inpaint'; readonly run: InpaintRun }
  | { readonly type: 'outpaint'; readonly run: OutpaintRun }
  | { readonly type: 'chat'; readonly run: ChatRun };

/**
 * A task's options. `scheduler` is for the one segment kind a task generates; a chat decodes both
 * words and images, so it reads `schedulers.text` and `schedulers.image` (`scheduler` standing in for the image one).
 */
export type PipelineTaskOptions = RunOptions & { readonly schedulers?: Readonly<Partial<Record<Modality, Partial<SchedulerChoice>>>> };

/**
 * Runs a config's task on a loaded pipeline: reads its input PNGs and decodes. Writing outputs
 * is the caller's (the CLI writes `task.output`; an API caller may keep the images in memory).
 */
export async function runPipelineTask(pipeline: OmnidecodePipeline, task: TaskConfig, options: PipelineTaskOptions = {}, read: PngReadOptions = {}): Promise<TaskResult> {
  // Images are read with the model's channels (colour kept for an RGB model); masks are always gray.
  const readPng = (path: string): ReturnType<typeof readPngFile> => readPngFile(path, { ...read, channels: pipeline.config.vq.channels });
  switch (task.type) {
    case 'text-to-image':
      return { type: task.type, run: await pipeline.textToImage(new Array<string>(task.count).fill(task.prompt), options) };
    case 'describe':
      return {
        type: task.type,
        run: await pipeline.describe([await readPng(task.image)], {
          ...options, ...(task.question !== null ? { question: task.question } : {}), ...(task.maxTokens !== null ? { maxTokens: task.maxTokens } : {}),
        }),
      };
    case 'edit':
      return { type: task.type, run: await pipeline.edit([await readPng(task.image)], task.instruction, options) };
    case 'inpaint':
      return { type: task.type, run: await pipeline.inpaint(await readPng(task.image), await readPngFile(task.mask, { ...read, channels: 1 }), task.prompt, options) };
    case 'outpaint': {
      const band = { left: task.left, right: task.right, top: task.top, bottom: task.bottom };
      return { type: task.type, run: await pipeline.outpaint(await readPng(task.image), band, task.prompt, { ...options, unit: task.unit }) };
    }
    case 'chat': {
      const image = options.schedulers?.image ?? options.scheduler;
      const text = options.schedulers?.text;
      return {
        type: task.type,
        run: await pipeline.chat(task.turns, {
          ...(task.image !== null ? { image: await readPng(task.image) } : {}), ...(task.maxImages !== null ? { maxImages: task.maxImages } : {}),
          ...(image !== undefined ? { imageScheduler: image } : {}), ...(text !== undefined ? { textScheduler: text } : {}),
          ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.signal !== undefined ? { signal: options.signal } : {}),
          ...(options.onStep !== undefined ? { onStep: options.onStep } : {}),
        }),
      };
    }
  }
}
