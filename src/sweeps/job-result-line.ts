import { ConfigError } from '../core/errors.ts';
import type { SweepJobResult } from './sweep-job.ts';

/** Longest feature vector a result may carry (the classifier's dimension is far below). */
export const MAX_FEATURES = 65_536;

function field<T>(object: Record<string, unknown>, key: string, where: string, check: (value: unknown) => value is T, expected: string): T {
  const value = object[key];
  if (!check(value)) throw new ConfigError(`${where} ${key}`, value, expected);
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isHash = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

/**
 * A job result read back (a jobs.jsonl line, a worker's report), checked field by field: errors
 * name `where` (e.g. `jobs.jsonl line 12`) and the field. Returns a fresh object with only the
 * contract's fields.
 */
export function parseJobResult(raw: unknown, where: string): SweepJobResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(where, raw, 'a job result object');
  const object = raw as Record<string, unknown>;
  const classIndex = object.classIndex;
  if (classIndex !== null && !isCount(classIndex)) throw new ConfigError(`${where} classIndex`, classIndex, 'a class index or null');
  const features = object.features;
  if (!Array.isArray(features) || features.length > MAX_FEATURES || !features.every(isFiniteNumber)) {
    throw new ConfigError(`${where} features`, Array.isArray(features) ? `${features.length} values` : features, `at most ${MAX_FEATURES} finite numbers`);
  }
  return {
    id: field(object, 'id', where, isHash, 'a job id (64 hex digits)'),
    setting: field(object, 'setting', where, isCount, 'a setting index'),
    settingLabel: field(object, 'settingLabel', where, isString, 'a string'),
    seed: field(object, 'seed', where, isCount, 'a seed'),
    imageIndex: field(object, 'imageIndex', where, isCount, 'an image index'),
    prompt: field(object, 'prompt', where, isString, 'a string'),
    classIndex,
    tokensHash: field(object, 'tokensHash', where, isHash, 'a sha256 (64 hex digits)'),
    forwards: field(object, 'forwards', where, isCount, 'a forward count'),
    wallMs: field(object, 'wallMs', where, (value): value is number => isFiniteNumber(value) && value >= 0, 'a wall time in ms'),
    predicted: field(object, 'predicted', where, isCount, 'a class index'),
    features: features as number[],
    ranBy: field(object, 'ranBy', where, isString, 'a string'),
  };
}
