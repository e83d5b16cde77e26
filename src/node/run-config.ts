import { checkSchedulers, parseConfig, taskModality, type OmnidecodeConfig } from '../core/config/omnidecode-config.ts';
import { ConfigError } from '../core/errors.ts';
import type { StepEvent } from '../core/step-event.ts';
import { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import { runPipelineTask, type TaskResult } from '../pipeline/pipeline-task.ts';
import { createNodeSchedulerContainer } from './node-scheduler-container.ts';
import { loadPluginsOrThrow } from './plugin-loader.ts';

export interface RunConfigOptions {
  /** Where a raw config's relative paths (plugins, model, task files) start; the working folder by default. */
  readonly baseDir?: string;
  readonly signal?: AbortSignal;
  readonly onStep?: (event: StepEvent) => void;
}

/**
 * The API's `omnidecode run CONFIG`: the same config object (parsed, or raw as read from JSON or
 * YAML) loads its plugins and model and runs its task with its seed and scheduler. Returns the
 * outputs; writes no file. The pipeline is disposed before returning, also on failure.
 */
export async function runConfig(config: OmnidecodeConfig | unknown, options: RunConfigOptions = {}): Promise<TaskResult> {
  const parsed = isParsed(config) ? config : parseConfig(config, options.baseDir ?? process.cwd());
  const task = parsed.task;
  if (task === null) throw new ConfigError('task', task, 'a task (type: text-to-image, describe, edit, inpaint, outpaint or chat)');
  const { container, schedulers } = createNodeSchedulerContainer();
  await loadPluginsOrThrow(parsed.plugins, container, parsed.baseDir);
  checkSchedulers(parsed, schedulers);
  const pipeline = await OmnidecodePipeline.load({
    container, ...(parsed.model !== null ? { model: parsed.model } : {}), ...(parsed.threads !== null ? { threads: parsed.threads } : {}),
    ...(parsed.session.executionProviders !== undefined ? { executionProviders: parsed.session.executionProviders } : {}),
    ...(parsed.session.allowSpinning !== undefined ? { allowSpinning: parsed.session.allowSpinning } : {}),
    ...(parsed.unknownWords !== null ? { unknownWords: parsed.unknownWords } : {}),
  });
  try {
    const choice = parsed.schedulers[taskModality(task)];
    return await runPipelineTask(pipeline, task, {
      // A chat decodes words and images: it reads both choices.
      seed: parsed.seed, ...(choice !== undefined ? { scheduler: choice } : {}), schedulers: parsed.schedulers,
      ...(options.signal !== undefined ? { signal: options.signal } : {}), ...(options.onStep !== undefined ? { onStep: options.onStep } : {}),
    });
  } finally {
    await pipeline.dispose();
  }
}

/** A parsed config has its baseDir and a resolved shape; a raw one (from JSON/YAML) is parsed first. */
function isParsed(config: unknown): config is OmnidecodeConfig {
  return typeof config === 'object' && config !== null && 'baseDir' in config && typeof (config as { baseDir: unknown }).baseDir === 'string'
    && 'schedulers' in config && 'plugins' in config && 'task' in config && 'seed' in config;
}
