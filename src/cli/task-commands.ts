import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readConfigFile } from '../node/config-file.ts';
import type { TaskConfig, TaskType } from '../core/config/task-config.ts';
import { ConfigError, InputError } from '../core/errors.ts';
import type { Modality } from '../core/request.ts';
import { MAX_JANUS_IMAGES } from '../pipeline/janus/janus-prompts.ts';
import { commonOptions, outputOptions, scaleOf, type OutputFlags } from './command-options.ts';
import { registerEvaluateCommand } from './evaluate-command.ts';
import { janusFolderOf } from './janus-run-settings.ts';
import { runJanusTask } from './janus-task.ts';
import { registerSweepCommand } from './sweep-command.ts';
import { abortOnSignals } from './interrupts.ts';
import { integerFlag, loadRunSettings, type CommonFlags, type RunSettings } from './run-settings.ts';
import { runTask } from './tasks/run-task.ts';
import type { TaskContext } from './tasks/task-context.ts';

export type Flags = CommonFlags & Partial<OutputFlags> & { batchSize?: string };

/** The modality each task generates, whose scheduler the flags configure. */
const MODALITY: Readonly<Record<TaskType, Modality>> = {
  'text-to-image': 'image', describe: 'text', edit: 'image', inpaint: 'image', outpaint: 'image', chat: 'image',
};

export const MAX_BATCH_SIZE = 1024;

/** The config file's task when it is of this kind: the command's arguments and flags override its fields. */
export function taskFromFile<T extends TaskType>(settings: Pick<RunSettings, 'config'>, type: T): Extract<TaskConfig, { type: T }> | null {
  const task = settings.config?.task;
  return task !== undefined && task !== null && task.type === type ? task as Extract<TaskConfig, { type: T }> : null;
}

export function required<V>(value: V | undefined | null, what: string, expected: string): V {
  if (value === undefined || value === null) throw new InputError(what, value, expected, `${what} is required: ${expected}`);
  return value;
}

const path = (value: string | undefined): string | undefined => (value === undefined ? undefined : resolve(value));

/** Runs one task with the settings, then frees the model; a signal aborts it cleanly. `extra`: what a task's own flags add to its context. */
export async function execute(flags: Flags, type: TaskType, build: (settings: Pick<RunSettings, 'config'>) => TaskConfig, extra: Pick<TaskContext, 'textScheduler'> = {}): Promise<void> {
  const scale = scaleOf({ scale: flags.scale ?? '4' });
  const batchSize = integerFlag(flags.batchSize, '--batch-size', 1, MAX_BATCH_SIZE);
  // A Janus-layout folder (six ONNX graphs, docs/model-format.md) runs through its own pipeline.
  const janus = await janusFolderOf(flags);
  if (janus !== undefined) {
    // A Janus folder decodes its -n images together in one batch (at most MAX_JANUS_IMAGES): a batch
    // size it would not honour is refused, not dropped.
    if (batchSize !== undefined) {
      throw new InputError('--batch-size', batchSize, 'no --batch-size with a Janus folder',
        `--batch-size is not available for Janus folders (${janus}): its -n images are decoded together in one batch (at most ${MAX_JANUS_IMAGES})`);
    }
    const controller = abortOnSignals();
    await runJanusTask(janus, flags, type, build, {
      force: flags.force === true, scale, signal: controller.signal,
      log: (line) => process.stderr.write(`${line}\n`), print: (line) => process.stdout.write(`${line}\n`),
    });
    return;
  }
  const settings = await loadRunSettings(flags, MODALITY[type]);
  try {
    const task = build(settings);
    const controller = abortOnSignals();
    await runTask(task, {
      ...extra, settings, force: flags.force === true, scale, batchSize, signal: controller.signal,
      log: (line) => process.stderr.write(`${line}\n`), print: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await settings.pipeline.dispose();
  }
}

const OUTPUT_EXPECTED = 'a PNG path (-o out.png, or task.output in the config)';

export function registerTaskCommands(program: Command): void {
  outputOptions(commonOptions(program.command('generate')))
    .description('Text -> image with the embedded model (maskgit by default; --scheduler autoregressive for raster AR).')
    .argument('[prompt]', 'e.g. "a dark sneaker"; empty for unconditional generation')
    .option('-n, --count <n>', 'images to generate (written as a grid)')
    .option('--trace <file.png>', 'also write one row per step: the x0 guess and the committed canvas')
    .option('--batch-size <n>', 'images decoded together per forward (default 16)')
    .action(async (prompt: string | undefined, flags: Flags & { count?: string; trace?: string }) => {
      await execute(flags, 'text-to-image', (settings) => {
        const file = taskFromFile(settings, 'text-to-image');
        return {
          type: 'text-to-image',
          prompt: prompt ?? file?.prompt ?? '',
          count: integerFlag(flags.count, '-n/--count', 1) ?? file?.count ?? 1,
          output: required(path(flags.output) ?? file?.output, '--output', OUTPUT_EXPECTED),
          trace: path(flags.trace) ?? file?.trace ?? null,
        };
      });
    });

  commonOptions(program.command('describe'))
    .description('Image -> text: what the model sees in a PNG.')
    .argument('[image]', 'a PNG (resized to the model size if needed); or task.image in the config')
    .option('--question <text>', 'the question (default: the model\'s trained question)')
    .option('--max-tokens <n>', 'longest answer')
    .action(async (image: string | undefined, flags: Flags & { question?: string; maxTokens?: string }) => {
      await execute(flags, 'describe', (settings) => {
        const file = taskFromFile(settings, 'describe');
        return {
          type: 'describe',
          image: required(path(image) ?? file?.image, 'image', 'a PNG path (the first argument, or task.image in the config)'),
          question: flags.question ?? file?.question ?? null,
          maxTokens: integerFlag(flags.maxTokens, '--max-tokens', 1) ?? file?.maxTokens ?? null,
        };
      });
    });

  outputOptions(commonOptions(program.command('edit')))
    .description('Image + instruction -> image (e.g. "make it darker", "flip it").')
    .argument('[image]', 'the source PNG (or task.image in the config)')
    .argument('[instruction]', 'e.g. "make it darker" (or task.instruction)')
    .action(async (image: string | undefined, instruction: string | undefined, flags: Flags) => {
      await execute(flags, 'edit', (settings) => {
        const file = taskFromFile(settings, 'edit');
        return {
          type: 'edit',
          image: required(path(image) ?? file?.image, 'image', 'a PNG path (the first argument, or task.image in the config)'),
          instruction: required(instruction ?? file?.instruction, 'instruction', 'e.g. "make it darker" (the second argument, or task.instruction)'),
          output: required(path(flags.output) ?? file?.output, '--output', OUTPUT_EXPECTED),
        };
      });
    });

  outputOptions(commonOptions(program.command('inpaint')))
    .description('Regenerate the white part of a mask under a prompt; the rest of the image is kept.')
    .argument('[image]', 'the source PNG (or task.image in the config)')
    .argument('[prompt]', 'what the whole image should show, e.g. "a sandal"')
    .option('--mask <mask.png>', 'white (≥ 0.5) where to regenerate; resized to the token grid (or task.mask)')
    .action(async (image: string | undefined, prompt: string | undefined, flags: Flags & { mask?: string }) => {
      await execute(flags, 'inpaint', (settings) => {
        const file = taskFromFile(settings, 'inpaint');
        return {
          type: 'inpaint',
          image: required(path(image) ?? file?.image, 'image', 'a PNG path (the first argument, or task.image in the config)'),
          mask: required(path(flags.mask) ?? file?.mask, '--mask', 'a mask PNG (--mask mask.png, or task.mask in the config)'),
          prompt: prompt ?? file?.prompt ?? '',
          output: required(path(flags.output) ?? file?.output, '--output', OUTPUT_EXPECTED),
        };
      });
    });

  registerOutpaintCommand(program);
  registerRunCommand(program);
  registerEvaluateCommand(program);
  registerSweepCommand(program);
}

function registerOutpaintCommand(program: Command): void {
  outputOptions(commonOptions(program.command('outpaint')))
    .description('Extend an image past its edges (Show-o\'s extrapolation): the source shifts away from each side given, the new band is generated, the rest kept exactly. The canvas stays the model\'s grid: what shifts past the far edge is dropped.')
    .argument('[image]', 'the source PNG (or task.image in the config)')
    .argument('[prompt]', 'what the whole image should show')
    .option('--left <n>', 'columns to add on the left').option('--right <n>', 'columns to add on the right')
    .option('--top <n>', 'rows to add on top').option('--bottom <n>', 'rows to add at the bottom')
    .option('--pixels', 'the amounts are pixels of the model\'s image (rounded up to whole tokens), not tokens')
    .action(async (image: string | undefined, prompt: string | undefined, flags: Flags & { left?: string; right?: string; top?: string; bottom?: string; pixels?: boolean }) => {
      await execute(flags, 'outpaint', (settings) => {
        const file = taskFromFile(settings, 'outpaint');
        const side = (name: 'left' | 'right' | 'top' | 'bottom'): number => integerFlag(flags[name], `--${name}`, 0) ?? file?.[name] ?? 0;
        return {
          type: 'outpaint',
          image: required(path(image) ?? file?.image, 'image', 'a PNG path (the first argument, or task.image in the config)'),
          left: side('left'), right: side('right'), top: side('top'), bottom: side('bottom'),
          unit: flags.pixels === true ? 'pixels' : file?.unit ?? 'tokens',
          prompt: prompt ?? file?.prompt ?? '',
          output: required(path(flags.output) ?? file?.output, '--output', OUTPUT_EXPECTED),
        };
      });
    });
}

function registerRunCommand(program: Command): void {
  outputOptions(commonOptions(program.command('run')))
    .description('Run the task a config file describes (text-to-image, describe, edit, inpaint, outpaint, chat); flags override the file.')
    .argument('<config>', 'a JSON or YAML config with a `task`')
    .option('--batch-size <n>', 'images decoded together per forward (text-to-image)')
    .action(async (configPath: string, flags: Flags) => {
      if (flags.config !== undefined && resolve(flags.config) !== resolve(configPath)) {
        throw new ConfigError('--config', flags.config, 'no --config with run (the config is its argument)');
      }
      const config = await readConfigFile(configPath);
      const task = config.task;
      if (task === undefined || task === null) {
        throw new ConfigError('task', task, 'a task in the config (type: text-to-image, describe, edit, inpaint, outpaint or chat)',
          `${configPath} has no task: add e.g. task: { type: text-to-image, prompt: a bag, output: bag.png }`);
      }
      await execute({ ...flags, config: configPath }, task.type, () => {
        const output = path(flags.output);
        return output !== undefined && 'output' in task ? { ...task, output } : task;
      });
    });
}
