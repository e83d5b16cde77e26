import { describeValue, OmnidecodeError } from '../core/errors.ts';
import { FORBIDDEN_KEYS } from '../core/config/safe-keys.ts';
import { SEED_LIMIT } from '../core/config/parse-seed.ts';
import type { SweepJob, SweepJobResult, SweepScheduler } from './sweep-job.ts';

/** A job payload or a worker's result that does not have the SweepJob (or SweepJobResult) shape. */
export class SweepPayloadError extends OmnidecodeError {}

/**
 * What crosses the queue is checked field by field on both ends: a worker refuses a job payload
 * that is not a SweepJob, the sweep refuses a worker's result that is not a SweepJobResult. Every
 * string, number and collection has a bound, so nothing on the queue can make either side allocate
 * without limit.
 */
export const PAYLOAD_LIMITS = {
  idLength: 200,
  labelLength: 1000,
  schedulerNameLength: 200,
  schedulerOptionsJson: 64 * 1024,
  promptLength: 4000,
  setting: 1_000_000,
  imageIndex: 10_000_000,
  classIndex: 100_000,
  hashLength: 128,
  features: 65_536,
  forwards: 1_000_000_000,
  wallMs: 7 * 24 * 3600 * 1000,
  ranByLength: 300,
} as const;

/** BullMQ job ids: no ':' (its key separator), and not an integer (those are its own ids). */
const JOB_ID = /^[A-Za-z0-9_.-]+$/;
const HASH = /^[A-Za-z0-9_.:+/=-]+$/;

type Fields = Readonly<Record<string, unknown>>;

function fail(what: string, field: string, got: unknown, expected: string): never {
  throw new SweepPayloadError(field, got, expected, `malformed ${what}: ${field}: got ${describeValue(got)}, expected ${expected}`);
}

function record(value: unknown, what: string, allowed: readonly string[]): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(what, '(payload)', value, 'an object');
  const keys = Object.keys(value);
  for (const key of keys) {
    if (!allowed.includes(key)) fail(what, key, (value as Fields)[key], `no such field (the fields are ${allowed.join(', ')})`);
  }
  for (const key of allowed) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) fail(what, key, undefined, 'the field to be present');
  }
  return value as Fields;
}

function text(fields: Fields, key: string, what: string, max: number, pattern?: RegExp): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.length > max || (pattern !== undefined && !pattern.test(value))) {
    fail(what, key, value, `a string of at most ${max} characters${pattern === undefined ? '' : ` matching ${pattern}`}`);
  }
  return value;
}

function integer(fields: Fields, key: string, what: string, max: number): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) fail(what, key, value, `an integer from 0 to ${max}`);
  return value;
}

function number(fields: Fields, key: string, what: string, max: number): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) fail(what, key, value, `a number from 0 to ${max}`);
  return value;
}

function classIndex(fields: Fields, what: string): number | null {
  return fields.classIndex === null ? null : integer(fields, 'classIndex', what, PAYLOAD_LIMITS.classIndex);
}

function jobId(fields: Fields, what: string): string {
  const id = text(fields, 'id', what, PAYLOAD_LIMITS.idLength, JOB_ID);
  if (/^\d+$/.test(id)) fail(what, 'id', id, 'a job id that is not an integer (BullMQ keeps those for its own ids)');
  return id;
}

/** Options as JSON carries them: plain keys (never __proto__ and friends), a bounded size. */
function schedulerOptions(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(what, 'scheduler.options', value, 'an object');
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    fail(what, 'scheduler.options', value, 'JSON data');
  }
  if (json.length > PAYLOAD_LIMITS.schedulerOptionsJson) fail(what, 'scheduler.options', `${json.length} bytes of JSON`, `at most ${PAYLOAD_LIMITS.schedulerOptionsJson}`);
  const visit = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (FORBIDDEN_KEYS.has(key)) fail(what, `${path}.${key}`, key, 'a key other than __proto__, constructor or prototype');
      visit(child, `${path}.${key}`);
    }
  };
  visit(value, 'scheduler.options');
  // A copy, so later changes to the payload object cannot reach the job.
  return JSON.parse(json) as Record<string, unknown>;
}

function scheduler(value: unknown, what: string): SweepScheduler {
  const fields = record(value, `${what} scheduler`, ['name', 'options']);
  return {
    name: text(fields, 'name', `${what} scheduler`, PAYLOAD_LIMITS.schedulerNameLength, /^\S+$/),
    options: schedulerOptions(fields.options, what),
  };
}

/** The fields a job and its result share: which job, of which setting, seed, image and prompt. */
function jobIdentity(fields: Fields, what: string): Pick<SweepJob, 'id' | 'setting' | 'settingLabel' | 'seed' | 'imageIndex' | 'prompt' | 'classIndex'> {
  return {
    id: jobId(fields, what),
    setting: integer(fields, 'setting', what, PAYLOAD_LIMITS.setting),
    settingLabel: text(fields, 'settingLabel', what, PAYLOAD_LIMITS.labelLength),
    seed: integer(fields, 'seed', what, SEED_LIMIT - 1),
    imageIndex: integer(fields, 'imageIndex', what, PAYLOAD_LIMITS.imageIndex),
    prompt: text(fields, 'prompt', what, PAYLOAD_LIMITS.promptLength),
    classIndex: classIndex(fields, what),
  };
}

const JOB_FIELDS = ['id', 'setting', 'settingLabel', 'scheduler', 'seed', 'imageIndex', 'prompt', 'classIndex', 'modelHash'] as const;

/** A job payload as a worker receives it, checked field by field; a SweepPayloadError names the first bad field. */
export function parseSweepJob(data: unknown): SweepJob {
  const what = 'job payload';
  const fields = record(data, what, JOB_FIELDS);
  return {
    ...jobIdentity(fields, what),
    scheduler: scheduler(fields.scheduler, what),
    modelHash: text(fields, 'modelHash', what, PAYLOAD_LIMITS.hashLength, HASH),
  };
}

const RESULT_FIELDS = ['id', 'setting', 'settingLabel', 'seed', 'imageIndex', 'prompt', 'classIndex', 'tokensHash',
  'forwards', 'wallMs', 'predicted', 'features', 'ranBy'] as const;

function features(value: unknown, what: string): readonly number[] {
  if (!Array.isArray(value) || value.length > PAYLOAD_LIMITS.features) fail(what, 'features', value, `an array of at most ${PAYLOAD_LIMITS.features} numbers`);
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'number' || !Number.isFinite(item)) fail(what, `features[${index}]`, item, 'a finite number');
  });
  return value as number[];
}

/** A worker's result as the sweep receives it (the job's return value), checked field by field. */
export function parseSweepJobResult(data: unknown): SweepJobResult {
  const what = 'job result';
  const fields = record(data, what, RESULT_FIELDS);
  return {
    ...jobIdentity(fields, what),
    tokensHash: text(fields, 'tokensHash', what, PAYLOAD_LIMITS.hashLength, HASH),
    forwards: integer(fields, 'forwards', what, PAYLOAD_LIMITS.forwards),
    wallMs: number(fields, 'wallMs', what, PAYLOAD_LIMITS.wallMs),
    predicted: integer(fields, 'predicted', what, PAYLOAD_LIMITS.classIndex),
    features: features(fields.features, what),
    ranBy: text(fields, 'ranBy', what, PAYLOAD_LIMITS.ranByLength),
  };
}
