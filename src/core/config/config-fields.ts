import { ConfigError } from '../errors.ts';
import { resolvePath } from './resolve-path.ts';

/** Small readers for config objects; every error names the dotted path the user wrote. */

export function joinPath(field: string, key: string): string {
  return field ? `${field}.${key}` : key;
}

export function record(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(field, value, 'an object');
  return value as Record<string, unknown>;
}

export function rejectUnknown(object: Record<string, unknown>, known: readonly string[], field: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      const path = joinPath(field, key);
      throw new ConfigError(path, object[key], `a known field (${known.join(', ')})`,
        `unknown field ${path}; valid fields: ${known.join(', ')}`);
    }
  }
}

/** A required string; `fallback` (when given) stands in for a missing one. */
export function stringField(object: Record<string, unknown>, key: string, field: string, fallback?: string): string {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string') throw new ConfigError(joinPath(field, key), value, 'a string');
  return value;
}

export function optionalStringField(object: Record<string, unknown>, key: string, field: string): string | null {
  return object[key] === undefined || object[key] === null ? null : stringField(object, key, field);
}

/** A non-empty path string, resolved against the config file's folder. */
export function pathField(object: Record<string, unknown>, key: string, field: string, baseDir: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(joinPath(field, key), value, 'a file path (a non-empty string)');
  return resolvePath(baseDir, value);
}

export function optionalPathField(object: Record<string, unknown>, key: string, field: string, baseDir: string): string | null {
  return object[key] === undefined || object[key] === null ? null : pathField(object, key, field, baseDir);
}

/** An integer >= min; `fallback` for a missing field (null keeps it absent). */
export function integerField<F extends number | null>(object: Record<string, unknown>, key: string, field: string, min: number, fallback: F): number | F {
  const value = object[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new ConfigError(joinPath(field, key), value, `an integer >= ${min}`);
  return value;
}

export function enumField<const T extends string>(object: Record<string, unknown>, key: string, field: string, values: readonly T[], fallback: T): T {
  const value = object[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw new ConfigError(joinPath(field, key), value, `one of: ${values.join(', ')}`);
  }
  return value as T;
}
