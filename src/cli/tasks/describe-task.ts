import type { DescribeTask } from '../../core/config/task-config.ts';
import { readPng } from '../../tokenizers/png-image.ts';
import type { TaskContext } from './task-context.ts';

/** Image -> text: prints the answer on stdout. */
export async function runDescribe(task: DescribeTask, context: TaskContext): Promise<void> {
  const { settings } = context;
  const image = await readPng(task.image);
  const run = await settings.pipeline.describe([image], {
    seed: settings.seed, signal: context.signal, scheduler: settings.scheduler,
    ...(task.question !== null ? { question: task.question } : {}), ...(task.maxTokens !== null ? { maxTokens: task.maxTokens } : {}),
  });
  context.print(run.texts[0] ?? '');
}
