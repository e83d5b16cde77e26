import { ConfigError } from '../errors.ts';
import type { ExecutionProviderChoice, SessionOptions } from '../transformer-backend.ts';
import { joinPath } from './config-fields.ts';

/**
 * How the model's graphs run, as users write it: `executionProviders: [...]` and
 * `session: { intraOpThreads, allowSpinning }`, in a run config or a model folder's config.json.
 * Runtime-agnostic: whether a provider exists is the backend's check, when it loads.
 */
export interface SessionSettings {
  readonly executionProviders?: readonly ExecutionProviderChoice[];
  readonly intraOpThreads?: number;
  readonly allowSpinning?: boolean;
}

/** Throws an error naming the field, the value and what was expected (each file kind has its own error class). */
export type FieldFailure = (field: string, value: unknown, expected: string) => never;

const configFailure: FieldFailure = (field, value, expected) => {
  throw new ConfigError(field, value, expected);
};

/** More threads than any machine this runs on has cores: a typo, not a setting. */
export const MAX_SESSION_THREADS = 1024;

export const SESSION_FIELDS = ['intraOpThreads', 'allowSpinning'] as const;

const PROVIDERS_EXPECTED = 'a list of execution providers: names ("cpu", "cuda", ...) or { name, ...options } objects';

/** `executionProviders`: a non-empty list of names or `{ name, ...options }` with JSON-plain options. */
export function parseExecutionProviders(value: unknown, field: string, fail: FieldFailure = configFailure): ExecutionProviderChoice[] {
  if (!Array.isArray(value) || value.length === 0) fail(field, value, PROVIDERS_EXPECTED);
  const seen = new Set<string>();
  return (value as unknown[]).map((item, index) => {
    const at = `${field}[${index}]`;
    let name: unknown = item;
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      name = (item as Record<string, unknown>).name;
      for (const [key, option] of Object.entries(item)) {
        if (key !== 'name' && !isPlainJson(option)) fail(joinPath(at, key), option, 'a JSON value (string, number, boolean, list or object)');
      }
      if (typeof name !== 'string' || name.trim() === '') fail(joinPath(at, 'name'), name, 'a provider name such as "cpu" or "cuda"');
    } else if (typeof item !== 'string' || item.trim() === '') {
      fail(at, item, 'a provider name such as "cpu" or "cuda", or { name, ...options }');
    }
    const key = name as string;
    if (seen.has(key)) fail(at, key, 'a provider not already listed');
    seen.add(key);
    return typeof item === 'string' ? item : { ...(item as Record<string, unknown>), name: key };
  });
}

/** `session: { intraOpThreads?, allowSpinning? }`; unknown fields are refused, naming the valid ones. */
export function parseSessionBlock(value: unknown, field: string, fail: FieldFailure = configFailure): Pick<SessionSettings, 'intraOpThreads' | 'allowSpinning'> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, `an object with ${SESSION_FIELDS.join(', ')}`);
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!(SESSION_FIELDS as readonly string[]).includes(key)) fail(joinPath(field, key), object[key], `a known field (${SESSION_FIELDS.join(', ')})`);
  }
  const { intraOpThreads, allowSpinning } = object;
  if (intraOpThreads !== undefined && !(typeof intraOpThreads === 'number' && Number.isInteger(intraOpThreads)
    && intraOpThreads >= 1 && intraOpThreads <= MAX_SESSION_THREADS)) {
    fail(joinPath(field, 'intraOpThreads'), intraOpThreads, `an integer from 1 to ${MAX_SESSION_THREADS}`);
  }
  if (allowSpinning !== undefined && typeof allowSpinning !== 'boolean') fail(joinPath(field, 'allowSpinning'), allowSpinning, 'true or false');
  return {
    ...(intraOpThreads === undefined ? {} : { intraOpThreads: intraOpThreads as number }),
    ...(allowSpinning === undefined ? {} : { allowSpinning: allowSpinning as boolean }),
  };
}

/** `--spinning on|off` (also true/false, 1/0). */
export function parseSpinningFlag(value: string, flag: string): boolean {
  const text = value.trim().toLowerCase();
  if (text === 'on' || text === 'true' || text === '1') return true;
  if (text === 'off' || text === 'false' || text === '0') return false;
  throw new ConfigError(flag, value, '"on" or "off" (whether onnxruntime intra-op threads spin between runs)');
}

/** Later sources override earlier ones field by field (model folder < run config < command line). */
export function mergeSessionSettings(...sources: ReadonlyArray<SessionSettings | undefined>): SessionSettings {
  let merged: SessionSettings = {};
  for (const source of sources) {
    if (source === undefined) continue;
    merged = {
      ...merged,
      ...(source.executionProviders === undefined ? {} : { executionProviders: source.executionProviders }),
      ...(source.intraOpThreads === undefined ? {} : { intraOpThreads: source.intraOpThreads }),
      ...(source.allowSpinning === undefined ? {} : { allowSpinning: source.allowSpinning }),
    };
  }
  return merged;
}

function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value === 'object') return Object.values(value).every(isPlainJson);
  return false;
}

/** The backend's session options for these settings (absent fields stay absent: the backend's defaults apply). */
export function toSessionOptions(settings: SessionSettings): SessionOptions {
  return {
    ...(settings.executionProviders === undefined ? {} : { executionProviders: settings.executionProviders }),
    ...(settings.intraOpThreads === undefined ? {} : { intraOpThreads: settings.intraOpThreads }),
    ...(settings.allowSpinning === undefined ? {} : { allowSpinning: settings.allowSpinning }),
  };
}
