import { ConfigError } from '../errors.ts';
import type { Modality } from '../request.ts';
import type { SchedulerRegistry } from '../scheduler-registry.ts';
import { record, rejectUnknown, stringField } from './config-fields.ts';
import { parseSeed } from './parse-seed.ts';
import { resolvePath } from './resolve-path.ts';
import { parseExecutionProviders, parseSessionBlock, type SessionSettings } from './session-settings.ts';
import { rejectForbiddenKeys } from './safe-keys.ts';
import { parseTask, type TaskConfig } from './task-config.ts';
import { parseUnknownWords, type UnknownWords } from './unknown-words-setting.ts';

export type {
  ChatTask, DescribeTask, EditTask, InpaintTask, OutpaintTask, OutpaintUnit, TaskConfig, TaskType, TextToImageTask,
} from './task-config.ts';
export { TASK_TYPES, parseTask, taskModality } from './task-config.ts';

/** A scheduler picked by name, with its parameters (validated by the scheduler's own schema). */
export interface SchedulerChoice {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** The one config shape shared by the CLI and the API. */
export interface OmnidecodeConfig {
  /** An integer in [0, 2^32); 0 when the file gives none. */
  readonly seed: number;
  /** Model folder; null for the embedded default model. */
  readonly model: string | null;
  readonly plugins: readonly string[];
  readonly schedulers: Readonly<Partial<Record<Modality, SchedulerChoice>>>;
  readonly threads: number | null;
  /** `executionProviders` and `session: { intraOpThreads, allowSpinning }` (`threads` lands in intraOpThreads); {} when the file gives none. */
  readonly session: SessionSettings;
  /** null: the pipeline's default ('reject'). */
  readonly unknownWords: UnknownWords | null;
  readonly task: TaskConfig | null;
  /** Folder relative paths in the file are resolved against. */
  readonly baseDir: string;
}

const TOP_LEVEL = ['seed', 'model', 'plugins', 'schedulers', 'threads', 'executionProviders', 'session', 'unknownWords', 'task'] as const;

function parseSchedulerChoice(value: unknown, field: string): SchedulerChoice {
  if (typeof value === 'string') return { name: value, options: {} };
  const object = record(value, field);
  const { name, ...options } = object;
  if (typeof name !== 'string' || name === '') throw new ConfigError(`${field}.name`, name, 'a scheduler name');
  return { name, options };
}

/**
 * Validates the structure; scheduler names and parameters are checked by `checkSchedulers` once plugins
 * are loaded. Relative paths resolve against `baseDir` (give an absolute folder; the Node layer's
 * `readConfigFile` passes the file's own).
 */
export function parseConfig(raw: unknown, baseDir: string): OmnidecodeConfig {
  // First, so no later spread or assignment can meet a key that reaches Object.prototype.
  rejectForbiddenKeys(raw, '');
  const object = record(raw ?? {}, 'config');
  rejectUnknown(object, TOP_LEVEL, '');
  const seed = parseSeed(object.seed ?? 0, 'seed');
  const plugins = object.plugins ?? [];
  if (!Array.isArray(plugins) || plugins.some((item) => typeof item !== 'string')) throw new ConfigError('plugins', plugins, 'a list of plugin paths or package names');
  const schedulersRaw = record(object.schedulers ?? {}, 'schedulers');
  rejectUnknown(schedulersRaw, ['image', 'text'], 'schedulers');
  const schedulers: Partial<Record<Modality, SchedulerChoice>> = {};
  for (const modality of ['image', 'text'] as const) {
    if (schedulersRaw[modality] !== undefined) schedulers[modality] = parseSchedulerChoice(schedulersRaw[modality], `schedulers.${modality}`);
  }
  const threads = object.threads ?? null;
  if (threads !== null && (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1)) throw new ConfigError('threads', threads, 'an integer >= 1');
  const block = object.session === undefined || object.session === null ? {} : parseSessionBlock(object.session, 'session');
  if (threads !== null && block.intraOpThreads !== undefined && block.intraOpThreads !== threads) {
    throw new ConfigError('session.intraOpThreads', block.intraOpThreads, `the same as threads (${String(threads)}), or only one of them`);
  }
  const session: SessionSettings = {
    ...(object.executionProviders === undefined || object.executionProviders === null ? {} : { executionProviders: parseExecutionProviders(object.executionProviders, 'executionProviders') }),
    ...block,
    ...(threads === null ? {} : { intraOpThreads: threads as number }),
  };
  const model = object.model === undefined || object.model === null ? null : resolvePath(baseDir, stringField(object, 'model', ''));
  const unknownWords = object.unknownWords === undefined || object.unknownWords === null ? null : parseUnknownWords(object.unknownWords, 'unknownWords');
  return {
    seed, model, plugins: plugins as string[], schedulers, threads: (threads ?? block.intraOpThreads ?? null) as number | null, session, unknownWords,
    task: object.task === undefined || object.task === null ? null : parseTask(object.task, baseDir), baseDir,
  };
}

/** Checks every chosen scheduler exists, suits its modality, and accepts its parameters (errors name `schedulers.<modality>.<field>`). */
export function checkSchedulers(config: Pick<OmnidecodeConfig, 'schedulers'>, registry: SchedulerRegistry): void {
  for (const modality of ['image', 'text'] as const) {
    const choice = config.schedulers[modality];
    if (choice === undefined) continue;
    if (!registry.names().includes(choice.name)) {
      throw new ConfigError(`schedulers.${modality}.name`, choice.name, `one of the registered schedulers: ${registry.names().join(', ')}`);
    }
    registry.parseOptions(choice.name, choice.options, `schedulers.${modality}`, modality);
  }
}
