import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { OmnidecodeError } from '../core/errors.ts';
import { createNodeSchedulerContainer } from '../node/node-scheduler-container.ts';
import { SHIPPED_PLUGINS } from '../node/shipped-plugins.ts';
import { loadPluginsOrThrow } from '../node/plugin-loader.ts';
import { formatSchedulerList } from './schedulers-command.ts';
import { registerTaskCommands } from './task-commands.ts';
import { registerChatCommand } from './chat-command.ts';
import { registerCompleteCommand } from './complete-command.ts';
import { registerWorkerCommand } from './worker-command.ts';
import { collect } from './command-options.ts';
import { signalExitCode } from './interrupts.ts';
import { removeLiveTemporaries } from '../tokenizers/png-image.ts';
import { AbortError } from '../core/errors.ts';

export function buildProgram(): Command {
  const program = new Command('omnidecode')
    .description('Decode one unified transformer by autoregression, masked diffusion (MaskGIT) or a plugin scheduler.')
    .exitOverride()
    .showHelpAfterError();

  program.command('schedulers')
    .description('List registered schedulers with their parameters and defaults.')
    .option('--plugin <path>', 'load a plugin first (repeatable)', collect, [])
    .option('--all', `also load every shipped plugin (${Object.keys(SHIPPED_PLUGINS).join(', ')})`)
    .option('--json', 'print JSON instead of text')
    .action(async (options: { plugin: string[]; all?: boolean; json?: boolean }) => {
      const { container, schedulers } = createNodeSchedulerContainer();
      const shipped = options.all ? Object.keys(SHIPPED_PLUGINS).filter((name) => !options.plugin.includes(name)) : [];
      await loadPluginsOrThrow([...shipped, ...options.plugin], container);
      const definitions = schedulers.list();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(definitions.map((d) => ({
          name: d.name, description: d.description, modalities: d.modalities, source: d.source, parameters: d.parameters.describe(),
        })), null, 2)}\n`);
      } else {
        process.stdout.write(formatSchedulerList(definitions));
      }
    });

  registerTaskCommands(program);
  registerChatCommand(program);
  registerCompleteCommand(program);
  registerWorkerCommand(program);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    // Before OmnidecodeError, which AbortError extends: an interrupted run exits 130 (SIGINT) or 143 (SIGTERM).
    if (error instanceof AbortError || (error instanceof Error && error.name === 'AbortError')) {
      removeLiveTemporaries();
      process.stderr.write(`omnidecode: ${error.message}\n`);
      return signalExitCode() ?? 130;
    }
    if (error instanceof OmnidecodeError) {
      process.stderr.write(`omnidecode: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
