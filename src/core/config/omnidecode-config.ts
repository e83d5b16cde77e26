import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.ts';
import type { Modality } from '../request.ts';
import type { SchedulerRegistry } from '../scheduler-registry.ts';

/** A scheduler picked by name, with its parameters (validated by the scheduler's own schema). */
export interface SchedulerChoice {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export type TaskConfig =
  | { readonly type: 'text-to-image'; readonly prompt: string; readonly count: number; readonly output: string; readonly trace: string | null }
  | { readonly type: 'describe'; readonly image: string; readonly question: string | null }
  | { readonly type: 'edit'; readonly image: string; readonly instruction: string; readonly output: string }
  | { readonly type: 'inpaint'; readonly image: string; readonly mask: string; readonly prompt: string; readonly output: string };

/** The one config shape shared by the CLI and the API. */
export interface OmnidecodeConfig {
  readonly seed: number | string;
  /** Model folder; null for the embedded default model. */
  readonly model: string | null;
  readonly plugins: readonly string[];
  readonly schedulers: Readonly<Partial<Record<Modality, SchedulerChoice>>>;
  readonly threads: number | null;
  readonly task: TaskConfig | null;
  /** Folder relative paths in the file are resolved against. */
  readonly baseDir: string;
}

const TOP_LEVEL = ['seed', 'model', 'plugins', 'schedulers', 'threads', 'task'] as const;
const TASK_FIELDS: Record<TaskConfig['type'], readonly string[]> = {
  'text-to-image': ['prompt', 'count', 'output', 'trace'],
  describe: ['image', 'question'],
  edit: ['image', 'instruction', 'output'],
  inpaint: ['image', 'mask', 'prompt', 'output'],
};

function record(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(field, value, 'an object');
  return value as Record<string, unknown>;
}

function rejectUnknown(object: Record<string, unknown>, known: readonly string[], field: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new ConfigError(field ? `${field}.${key}` : key, object[key], `a known field (${known.join(', ')})`,
        `unknown field ${field ? `${field}.` : ''}${key}; valid fields: ${known.join(', ')}`);
    }
  }
}

function stringField(object: Record<string, unknown>, key: string, field: string, fallback?: string | null): string {
  const value = object[key];
  if (value === undefined && fallback !== undefined && fallback !== null) return fallback;
  if (typeof value !== 'string') throw new ConfigError(`${field}.${key}`, value, 'a string');
  return value;
}

function parseSchedulerChoice(value: unknown, field: string): SchedulerChoice {
  if (typeof value === 'string') return { name: value, options: {} };
  const object = record(value, field);
  const { name, ...options } = object;
  if (typeof name !== 'string' || name === '') throw new ConfigError(`${field}.name`, name, 'a scheduler name');
  return { name, options };
}

function parseTask(value: unknown, baseDir: string): TaskConfig {
  const object = record(value, 'task');
  const type = object.type;
  if (typeof type !== 'string' || !(type in TASK_FIELDS)) {
    throw new ConfigError('task.type', type, `one of: ${Object.keys(TASK_FIELDS).join(', ')}`);
  }
  const kind = type as TaskConfig['type'];
  rejectUnknown(object, ['type', ...TASK_FIELDS[kind]], 'task');
  const path = (key: string): string => resolve(baseDir, stringField(object, key, 'task'));
  switch (kind) {
    case 'text-to-image': {
      const count = object.count ?? 1;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new ConfigError('task.count', count, 'an integer >= 1');
      const trace = object.trace === undefined || object.trace === null ? null : path('trace');
      return { type: kind, prompt: stringField(object, 'prompt', 'task', ''), count, output: path('output'), trace };
    }
    case 'describe':
      return { type: kind, image: path('image'), question: object.question === undefined ? null : stringField(object, 'question', 'task') };
    case 'edit':
      return { type: kind, image: path('image'), instruction: stringField(object, 'instruction', 'task'), output: path('output') };
    case 'inpaint':
      return { type: kind, image: path('image'), mask: path('mask'), prompt: stringField(object, 'prompt', 'task', ''), output: path('output') };
  }
}

/** Validates the structure; scheduler names and parameters are checked by `checkSchedulers` once plugins are loaded. */
export function parseConfig(raw: unknown, baseDir: string): OmnidecodeConfig {
  const object = record(raw ?? {}, 'config');
  rejectUnknown(object, TOP_LEVEL, '');
  const seed = object.seed ?? 0;
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) throw new ConfigError('seed', seed, 'a number or a string');
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
  const model = object.model === undefined || object.model === null ? null : resolve(baseDir, stringField(object, 'model', 'config'));
  return {
    seed: seed as number | string, model, plugins: plugins as string[], schedulers, threads: threads as number | null,
    task: object.task === undefined ? null : parseTask(object.task, baseDir), baseDir,
  };
}

/** Reads a .json, .yaml or .yml config file. */
export async function readConfigFile(path: string): Promise<OmnidecodeConfig> {
  const full = resolve(path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new ConfigError('config file', full, 'an existing .json, .yaml or .yml file');
  }
  const extension = extname(full).toLowerCase();
  let raw: unknown;
  try {
    if (extension === '.json') raw = JSON.parse(text);
    else if (extension === '.yaml' || extension === '.yml') raw = parseYaml(text);
    else throw new ConfigError('config file', full, 'a file ending in .json, .yaml or .yml');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('config file', full, `valid ${extension.slice(1).toUpperCase()}`, `cannot parse ${full}: ${(error as Error).message}`);
  }
  return parseConfig(raw, dirname(full));
}

/** Checks every chosen scheduler exists, suits its modality, and accepts its parameters. */
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
