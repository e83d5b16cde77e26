import type { DescribeTask } from '../../core/config/task-config.ts';
import { runPipelineTask } from '../../pipeline/pipeline-task.ts';
import type { TaskContext } from './task-context.ts';

/** Image -> text: prints the answer on stdout. */
export async function runDescribe(task: DescribeTask, context: TaskContext): Promise<void> {
  const { settings } = context;
  const result = await runPipelineTask(settings.pipeline, task, { seed: settings.seed, signal: context.signal, scheduler: settings.scheduler }, settings.read);
  if (result.type === 'describe') context.print(result.run.texts[0] ?? '');
}
