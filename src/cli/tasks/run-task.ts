import type { TaskConfig } from '../../core/config/task-config.ts';
import { runChatTask } from './chat-task.ts';
import { runDescribe } from './describe-task.ts';
import { runImageTask } from './image-task.ts';
import type { TaskContext } from './task-context.ts';
import { runTextToImage } from './text-to-image-task.ts';

/** One task, whether it came from a command's arguments or a config file's `task`. */
export async function runTask(task: TaskConfig, context: TaskContext): Promise<void> {
  switch (task.type) {
    case 'text-to-image': return runTextToImage(task, context);
    case 'describe': return runDescribe(task, context);
    case 'edit':
    case 'inpaint':
    case 'outpaint': return runImageTask(task, context);
    case 'chat': return runChatTask(task, context);
  }
}
