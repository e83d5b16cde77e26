import { ConfigError } from '../core/errors.ts';
import { record, rejectUnknown } from '../core/config/config-fields.ts';
import { parseSeed } from '../core/config/parse-seed.ts';
import { resolvePath } from '../core/config/resolve-path.ts';
import { checkPlainKey, rejectForbiddenKeys } from '../core/config/safe-keys.ts';
import { SWEEP_LIMITS } from './sweep-limits.ts';

/**
 * A sweep file's structure, validated without loading anything: errors name the path in the file
 * (`grid[1].steps`, `seeds[2]`). Scheduler names and parameters are checked against the registry
 * once plugins and the model load (sweep-settings.ts), still before any job runs.
 */

/** One parameter of a grid entry: a single value, or a list expanded into one setting per value. */
export interface GridParameter {
  readonly key: string;
  readonly values: readonly unknown[];
  /** True when the file gave a list (each value then has its own path, `grid[0].steps[2]`). */
  readonly list: boolean;
}

export interface GridEntry {
  /** Where it is in the file: `grid[0]`. */
  readonly path: string;
  readonly scheduler: string;
  /** In the order the file wrote them. */
  readonly parameters: readonly GridParameter[];
}

export type SweepPrompts =
  | { readonly kind: 'list'; readonly prompts: readonly string[] }
  | { readonly kind: 'per-class' };

export interface SweepFile {
  /** Absolute model folder, or null for the embedded default model. */
  readonly model: string | null;
  readonly plugins: readonly string[];
  readonly prompts: SweepPrompts;
  /** Images of each setting for each seed, spread over the prompts in turn (image k uses prompt k mod P). */
  readonly imagesPerSetting: number;
  readonly seeds: readonly number[];
  readonly grid: readonly GridEntry[];
  /** Folder relative paths (model, plugins) resolve against: the file's own. */
  readonly baseDir: string;
}

const TOP_LEVEL = ['model', 'plugins', 'prompts', 'imagesPerSetting', 'seeds', 'grid'] as const;

/** The embedded default model, as a sweep file names it. */
export const DEFAULT_MODEL_NAME = 'default';

function listOf(value: unknown, field: string, max: number, expected: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ConfigError(field, value, expected);
  if (value.length === 0) throw new ConfigError(field, value, `${expected} (not empty)`, `${field} is empty: expected ${expected}`);
  if (value.length > max) throw new ConfigError(field, `${value.length} entries`, `at most ${max.toLocaleString('en-US')} entries`);
  return value;
}

function parsePrompts(value: unknown): SweepPrompts {
  if (value === undefined || value === null) {
    throw new ConfigError('prompts', value, 'a list of prompts, or { perClass: true } for the model\'s class prompts',
      'prompts is required: a list of prompts ("a sneaker", ...), or { perClass: true } for one "a/an {class}" prompt per class');
  }
  if (!Array.isArray(value)) {
    const object = record(value, 'prompts');
    rejectUnknown(object, ['perClass'], 'prompts');
    if (object.perClass !== true) throw new ConfigError('prompts.perClass', object.perClass, 'true (or give prompts as a list)');
    return { kind: 'per-class' };
  }
  const list = listOf(value, 'prompts', SWEEP_LIMITS.prompts, 'a list of prompt strings');
  list.forEach((prompt, index) => {
    if (typeof prompt !== 'string') throw new ConfigError(`prompts[${index}]`, prompt, 'a string');
  });
  return { kind: 'list', prompts: list as string[] };
}

function parseSeeds(value: unknown): number[] {
  if (value === undefined || value === null) return [0];
  const list = listOf(value, 'seeds', SWEEP_LIMITS.seeds, 'a list of seeds (integers in [0, 2^32))');
  const seen = new Map<number, number>();
  return list.map((item, index) => {
    const seed = parseSeed(item, `seeds[${index}]`);
    const earlier = seen.get(seed);
    if (earlier !== undefined) {
      throw new ConfigError(`seeds[${index}]`, item, 'a seed not listed before', `seeds[${index}] repeats seeds[${earlier}] (${seed}): each seed would run the same jobs twice`);
    }
    seen.set(seed, index);
    return seed;
  });
}

function parseGridEntry(value: unknown, path: string): GridEntry {
  const object = record(value, path);
  const { scheduler, ...rest } = object;
  if (typeof scheduler !== 'string' || scheduler.trim() === '') {
    throw new ConfigError(`${path}.scheduler`, scheduler, 'a scheduler name (see `omnidecode schedulers --all`)');
  }
  const parameters = Object.keys(rest).map((key): GridParameter => {
    checkPlainKey(key, `${path}.${key}`);
    const given = rest[key];
    if (!Array.isArray(given)) return { key, values: [given], list: false };
    const values = listOf(given, `${path}.${key}`, SWEEP_LIMITS.listValues, 'a value or a non-empty list of values');
    return { key, values, list: true };
  });
  return { path, scheduler, parameters };
}

/** Settings an entry expands to: the product of its lists' lengths. */
export function entrySize(entry: GridEntry): number {
  return entry.parameters.reduce((product, parameter) => product * parameter.values.length, 1);
}

function parseGrid(value: unknown): GridEntry[] {
  if (value === undefined || value === null) {
    throw new ConfigError('grid', value, 'a non-empty list of { scheduler: NAME, <parameter>: value | [values] }',
      'grid is required: a list of settings, e.g. [{ scheduler: maskgit, steps: [8, 16] }]');
  }
  const list = listOf(value, 'grid', SWEEP_LIMITS.gridEntries, 'a non-empty list of { scheduler: NAME, <parameter>: value | [values] }');
  const entries = list.map((item, index) => parseGridEntry(item, `grid[${index}]`));
  let settings = 0;
  for (const entry of entries) {
    // Each entry's product is at most listValues^parameters: bounded per entry before it is added.
    const size = entry.parameters.reduce((product, parameter) => Math.min(product * parameter.values.length, SWEEP_LIMITS.settings + 1), 1);
    settings += size;
    if (settings > SWEEP_LIMITS.settings) {
      const limit = SWEEP_LIMITS.settings.toLocaleString('en-US');
      throw new ConfigError(entry.path, `more than ${limit} settings with the entries before it`, `at most ${limit} settings in the whole grid`,
        `${entry.path}: with this entry the grid expands to more than ${limit} settings; split the study into several sweeps`);
    }
  }
  return entries;
}

/**
 * Validates a parsed sweep file (YAML or JSON, as an object). Relative paths resolve against
 * `baseDir` (give an absolute folder: read-sweep-file.ts passes the file's own).
 */
export function parseSweepFile(raw: unknown, baseDir: string): SweepFile {
  rejectForbiddenKeys(raw, '');
  const object = record(raw ?? {}, 'sweep file');
  rejectUnknown(object, TOP_LEVEL, '');
  const modelValue = object.model;
  let model: string | null = null;
  if (modelValue !== undefined && modelValue !== null && modelValue !== DEFAULT_MODEL_NAME) {
    if (typeof modelValue !== 'string' || modelValue.trim() === '') throw new ConfigError('model', modelValue, `a model folder, or "${DEFAULT_MODEL_NAME}" for the embedded model`);
    model = resolvePath(baseDir, modelValue);
  }
  const plugins = object.plugins ?? [];
  if (!Array.isArray(plugins)) throw new ConfigError('plugins', plugins, 'a list of plugin names or paths');
  plugins.forEach((plugin, index) => {
    if (typeof plugin !== 'string' || plugin.trim() === '') throw new ConfigError(`plugins[${index}]`, plugin, 'a plugin name (halton, ...), path or package');
  });
  const prompts = parsePrompts(object.prompts);
  const images = object.imagesPerSetting;
  if (typeof images !== 'number' || !Number.isInteger(images) || images < 1 || images > SWEEP_LIMITS.jobs) {
    throw new ConfigError('imagesPerSetting', images, `an integer from 1 to ${SWEEP_LIMITS.jobs.toLocaleString('en-US')} (images of each setting, per seed)`);
  }
  const seeds = parseSeeds(object.seeds);
  const grid = parseGrid(object.grid);
  const settings = grid.reduce((total, entry) => total + entrySize(entry), 0);
  const jobs = settings * seeds.length * images;
  if (jobs > SWEEP_LIMITS.jobs) {
    const count = (n: number): string => n.toLocaleString('en-US');
    throw new ConfigError('grid × seeds × imagesPerSetting', count(jobs), `at most ${count(SWEEP_LIMITS.jobs)} jobs`,
      `the sweep has ${count(settings)} setting(s) × ${count(seeds.length)} seed(s) × ${count(images)} image(s) = ${count(jobs)} jobs, ` +
      `over the limit of ${count(SWEEP_LIMITS.jobs)}; lower imagesPerSetting, seeds or the grid, or split the study into several sweeps`);
  }
  return { model, plugins: plugins as string[], prompts, imagesPerSetting: images, seeds, grid, baseDir };
}
